import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { describeValue } from '../core/errors.js';
import { CwlDataMessageSchema, type CwlEnvelope } from './envelope.js';
import { INGEST_ERROR_CODES as C, type EnvelopeProblem, IngestError } from './errors.js';

/** What decoding one CloudWatch Logs subscription payload gave. */
export type DecodeResult =
  | { readonly kind: 'data'; readonly envelope: CwlEnvelope }
  | { readonly kind: 'control' }
  | { readonly kind: 'error'; readonly error: IngestError };

/** Options of the decoders. */
export interface DecodeOptions {
  /**
   * Upper bound of the decompressed payload in bytes (decompression-bomb guard). CloudWatch Logs
   * sends at most ~1 MB compressed; default 16 MiB.
   */
  readonly maxDecompressedBytes?: number;
  /**
   * Told the size of each payload once decompressed (before it is parsed): lets a caller keep a
   * budget across many payloads, e.g. all those nested in one HTTP request. Read together with
   * `maxDecompressedBytes` before each payload, so a getter can hand out what is left.
   */
  readonly onDecoded?: (bytes: number) => void;
}

/** Default of {@link DecodeOptions.maxDecompressedBytes}: 16 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

const error = (code: IngestError['code'], message: string, cause?: unknown): DecodeResult => ({
  kind: 'error',
  error: new IngestError(code, message, cause === undefined ? undefined : { cause }),
});

/**
 * Decodes one CloudWatch Logs subscription payload: base64 (when given a string) → gunzip
 * (bounded) → UTF-8 → JSON → validated envelope. Bytes that are already a JSON object (e.g. a
 * Firehose stream with decompression enabled) skip the gunzip. Never throws: every problem is an
 * `error` result for this payload only.
 */
export function decodeCwlData(data: Uint8Array | string, opts?: DecodeOptions): DecodeResult {
  let bytes: Buffer;
  if (typeof data === 'string') {
    bytes = Buffer.from(data, 'base64');
    // Node skips characters outside the alphabet, so a clean decode has exactly this length
    // (cheaper than a regex over the whole string; the base64url characters - _ are accepted).
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
    const eq = data.indexOf('=');
    if (
      data.length % 4 !== 0 ||
      bytes.length !== (data.length / 4) * 3 - padding ||
      (eq !== -1 && eq < data.length - padding)
    ) {
      return error(
        C.base64Invalid,
        `record data is not base64: received ${describeValue(data)}; expected standard padded base64 (A–Z a–z 0–9 + / =)`,
      );
    }
  } else if (data instanceof Uint8Array) {
    bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  } else {
    return error(C.recordInvalid, `record data is ${describeValue(data)}; expected base64 text or bytes`);
  }
  const max = opts?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  let json: Buffer;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      json = gunzipSync(bytes, { maxOutputLength: max, chunkSize: gunzipChunkSize(bytes) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        return error(
          C.tooLarge,
          `decompressed payload exceeds ${max} bytes (from ${bytes.length} compressed bytes); expected a CloudWatch Logs payload below the bound`,
        );
      }
      return error(
        C.gzipInvalid,
        `gzip data of ${bytes.length} bytes is corrupt or cut off (${(err as { code?: string }).code ?? 'unknown'}); expected a complete gzip stream`,
        err,
      );
    }
  } else if (startsWithBrace(bytes)) {
    if (bytes.length > max) {
      return error(C.tooLarge, `payload of ${bytes.length} bytes exceeds ${max} bytes`);
    }
    json = bytes;
  } else {
    const head = bytes.length === 0 ? 'nothing' : `0x${bytes.subarray(0, 2).toString('hex')}`;
    return error(
      C.notGzip,
      `record data of ${bytes.length} bytes starts with ${head}; expected gzip (0x1f8b) or a JSON object`,
    );
  }
  opts?.onDecoded?.(json.length);
  if (!isUtf8(json)) {
    return error(C.utf8Invalid, `decompressed payload of ${json.length} bytes is not valid UTF-8`);
  }
  return decodeEnvelopeJson(json.toString('utf8'));
}

/** Output buffer sizes of {@link gunzipChunkSize}: zlib's default and a cap. */
const MIN_GUNZIP_CHUNK = 16 * 1024;
const MAX_GUNZIP_CHUNK = 1024 * 1024;

/**
 * The output buffer for gunzip: the size the gzip trailer announces (ISIZE, the last 4 bytes),
 * so a payload usually inflates in one call into one buffer (no joining of 16 KiB pieces).
 * ISIZE is untrusted: it only sizes the buffer (capped at 1 MiB); `maxOutputLength` stays the bound.
 */
function gunzipChunkSize(gz: Buffer): number {
  const announced = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
  return Math.min(MAX_GUNZIP_CHUNK, Math.max(MIN_GUNZIP_CHUNK, announced + 64));
}

function startsWithBrace(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x7b) return true;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

/** Parses the JSON text of a decoded payload and validates it (see {@link decodeEnvelopeValue}). */
export function decodeEnvelopeJson(text: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof RangeError ? 'nested too deeply' : 'not valid JSON';
    return error(C.jsonInvalid, `payload of ${text.length} characters is ${why}; expected a JSON object`);
  }
  return decodeEnvelopeValue(value);
}

/**
 * Classifies an already-parsed payload: a `CONTROL_MESSAGE` → `control`; a valid `DATA_MESSAGE`
 * → `data`; anything else → an {@link IngestError} listing the schema problems (paths only).
 */
export function decodeEnvelopeValue(value: unknown): DecodeResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return error(
      C.envelopeInvalid,
      `payload is ${describeValue(value)}; expected a CloudWatch Logs DATA_MESSAGE or CONTROL_MESSAGE object`,
    );
  }
  const obj = value as Record<string, unknown>;
  if (obj['messageType'] === 'CONTROL_MESSAGE') return { kind: 'control' };
  if (isDataMessage(obj)) return { kind: 'data', envelope: obj as CwlEnvelope };
  // Slow path: zod is the source of truth and names every problem.
  const parsed = CwlDataMessageSchema.safeParse(obj);
  if (parsed.success) return { kind: 'data', envelope: parsed.data };
  const problems: EnvelopeProblem[] = parsed.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') || '(root)',
    message: issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code,
  }));
  const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return {
    kind: 'error',
    error: new IngestError(
      C.envelopeInvalid,
      `payload is not a CloudWatch Logs DATA_MESSAGE or CONTROL_MESSAGE: ${list}`,
      { problems },
    ),
  };
}

/**
 * The fast structural check of a `DATA_MESSAGE`, equivalent to `CwlDataMessageSchema` (a property
 * test keeps them in agreement) except that numeric event ids (the moto emulator's) fail it and
 * take the zod path, which turns them into strings. It avoids zod's per-event cost on the hot path.
 */
export function isDataMessage(obj: Record<string, unknown>): boolean {
  if (
    obj['messageType'] !== 'DATA_MESSAGE' ||
    typeof obj['owner'] !== 'string' ||
    typeof obj['logGroup'] !== 'string' ||
    typeof obj['logStream'] !== 'string' ||
    (obj['policyLevel'] !== undefined && typeof obj['policyLevel'] !== 'string')
  ) {
    return false;
  }
  const filters = obj['subscriptionFilters'];
  if (!Array.isArray(filters)) return false;
  for (const f of filters) if (typeof f !== 'string') return false;
  const events = obj['logEvents'];
  if (!Array.isArray(events)) return false;
  for (const ev of events) {
    if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) return false;
    const e = ev as Record<string, unknown>;
    if (typeof e['id'] !== 'string' || typeof e['message'] !== 'string') return false;
    const ts = e['timestamp'];
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return false;
  }
  return true;
}
