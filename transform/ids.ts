const XRAY_ROOT = /(?:^|;)\s*Root=(1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})(?:;|$)/;
const XRAY_ID = /^1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}/;
const SPAN_ID = /^(?:0x)?([0-9a-fA-F]{16})$/;
const W3C_ID = /^[0-9a-fA-F]{32}$/;

/**
 * Reads a trace id from an X-Ray header (`Root=1-…;Parent=…`), a bare X-Ray id (`1-…-…`), a W3C
 * `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`) or a bare 32-hex W3C/OpenTelemetry trace id.
 * Returns `undefined` when the value is none of these (or the all-zero W3C id).
 */
export function parseTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 32 || value.length > 512) return undefined;
  if (XRAY_ID.test(value)) return value;
  if (W3C_ID.test(value)) return value === '0'.repeat(32) ? undefined : value.toLowerCase();
  if (value.length === 34 && value.startsWith('0x') && W3C_ID.test(value.slice(2))) {
    return parseTraceId(value.slice(2)); // OpenTelemetry Python's `0x…` form
  }
  const tp = TRACEPARENT.exec(value);
  if (tp) return tp[1] === '0'.repeat(32) ? undefined : tp[1];
  const root = XRAY_ROOT.exec(value);
  return root ? root[1] : undefined;
}

/**
 * Reads a span id: 16 hex digits (W3C / OpenTelemetry, also OpenTelemetry Python's `0x…` form),
 * lower-cased, or the parent id of a W3C `traceparent`. `undefined` for anything else and for
 * the all-zero id.
 */
export function parseSpanId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 16 || value.length > 512) return undefined;
  const m = SPAN_ID.exec(value) ?? TRACEPARENT.exec(value);
  const id = m === null ? undefined : (m.length === 3 ? m[2]! : m[1]!).toLowerCase();
  return id === undefined || id === '0000000000000000' ? undefined : id;
}

/**
 * Turns an id field's value into a string: non-empty strings as they are, finite numbers in
 * decimal. An integer beyond 2^53 has lost digits in `JSON.parse`; its exact digits are recovered
 * from `source` (the JSON text the value came from) by finding `"key": <digits>` whose number
 * equals the parsed one. Other values (objects, booleans, empty strings) give `undefined`.
 */
export function idToString(value: unknown, key: string, source: string | undefined): string | undefined {
  if (typeof value === 'string') return value.length > 0 && value.length <= 1024 ? value : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (Number.isSafeInteger(value) || !Number.isInteger(value)) return String(value);
  return (source !== undefined && recoverDigits(source, key, value)) || BigInt(value).toString();
}

/** Finds the literal digits of a number that `JSON.parse` rounded, or `undefined`. */
export function recoverDigits(source: string, key: string, value: number): string | undefined {
  const pattern = new RegExp(
    `"${escapeRegExp(jsonEscape(key))}"[ \\t\\r\\n]*:[ \\t\\r\\n]*(-?\\d{16,400})(?![\\d.eE])`,
    'g',
  );
  for (const m of source.matchAll(pattern)) {
    const digits = m[1]!;
    if (Number(digits) === value) return digits;
  }
  return undefined;
}

function jsonEscape(key: string): string {
  return JSON.stringify(key).slice(1, -1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
