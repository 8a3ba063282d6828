import { normalizeLevel } from '../levels.js';
import type { ParsedLine } from '../parsed.js';
import { isoFromMs, toIsoMs } from '../time.js';
import type { JsonFamily } from './family.js';

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * An OpenTelemetry time: Unix nanoseconds (OTLP JSON writes them as a decimal string) or, for the
 * data model's examples and SDK exporters, microseconds / milliseconds / an ISO string. The unit
 * is told by the magnitude (nanoseconds from 1e17 on, i.e. after 1973), 0 means "unknown".
 */
function otelTime(v: unknown): string | undefined {
  const n = typeof v === 'string' && /^\d{1,20}$/.test(v) ? Number(v) : typeof v === 'number' ? v : undefined;
  if (n === undefined) return toIsoMs(v);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n >= 1e17) return isoFromMs(Math.trunc(n / 1e6));
  if (n >= 1e14) return isoFromMs(Math.trunc(n / 1e3));
  return toIsoMs(n);
}

/** `SeverityNumber` 1–24 in the data model's six ranges (0 = unspecified). */
function severityNumber(v: unknown): ParsedLine['level'] {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 24) return undefined;
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((n - 1) / 4)];
}

/** An OTLP `AnyValue` (`{"stringValue":…}`, `{"intValue":"10"}`, arrays, kvlists) as plain JSON. */
function anyValue(v: unknown): unknown {
  if (!isRec(v)) return v;
  if ('stringValue' in v) return v['stringValue'];
  if ('boolValue' in v) return v['boolValue'];
  if ('intValue' in v) {
    const n = Number(v['intValue']);
    return Number.isSafeInteger(n) ? n : v['intValue'];
  }
  if ('doubleValue' in v) return v['doubleValue'];
  if ('bytesValue' in v) return v['bytesValue'];
  if (isRec(v['arrayValue'])) {
    const values = v['arrayValue']['values'];
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if (isRec(v['kvlistValue'])) return keyValues(v['kvlistValue']['values']);
  return v;
}

/** An OTLP `KeyValue` list (`[{"key","value":{…}}]`) as an object; a plain object as it is. */
function keyValues(list: unknown): Rec | undefined {
  if (isRec(list)) return list;
  if (!Array.isArray(list)) return undefined;
  const out: Rec = {};
  for (const kv of list) {
    if (!isRec(kv) || typeof kv['key'] !== 'string') return undefined;
    Object.defineProperty(out, kv['key'], {
      value: anyValue(kv['value']),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** `service.name` of a resource: `{"attributes":[…]}` (OTLP), `{"attributes":{…}}` or a flat map. */
function resourceService(v: unknown): string | undefined {
  if (!isRec(v)) return undefined;
  const attrs = 'attributes' in v ? keyValues(v['attributes']) : v;
  const name = attrs?.['service.name'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

const body = (v: unknown): string | undefined => {
  const b = anyValue(v);
  return typeof b === 'string' ? b : undefined;
};

const ATTRIBUTE_KEYS = ['attributes', 'Attributes'] as const;

/**
 * OpenTelemetry log records: the OTLP JSON encoding of a `LogRecord` (`timeUnixNano`,
 * `severityNumber`, `body: {"stringValue"}`, `attributes: [{key, value}]`, hex `traceId` /
 * `spanId`) and the data model's shape as SDK console exporters write it (`Timestamp`, `Body`,
 * `SeverityText`, `Resource`; Python's `severity_text`, `0x…` ids). Attribute lists become
 * objects; the `exception.*` attributes fill `error.*`.
 */
export const otel: JsonFamily = {
  title: 'OpenTelemetry log records (OTLP JSON LogRecord, data-model shape)',
  markers: [
    'timeUnixNano',
    'observedTimeUnixNano',
    'severityNumber',
    'severityText',
    'SeverityNumber',
    'SeverityText',
    'severity_number',
    'severity_text',
  ],
  match: (o) =>
    'body' in o ||
    'Body' in o ||
    'timeUnixNano' in o ||
    'observedTimeUnixNano' in o ||
    typeof o['SeverityNumber'] === 'number' ||
    typeof o['severityNumber'] === 'number' ||
    typeof o['severity_number'] === 'number',
  recognisedBy:
    'a `severityText` / `severityNumber` / `timeUnixNano` key in any of the spellings (OTLP camelCase, data-model PascalCase, Python snake_case) with a body, a time or a severity number',
  mapping: {
    format: 'otel',
    fields: [
      { role: 'time', path: 'timeUnixNano', read: otelTime, note: 'ns' },
      { role: 'time', path: 'Timestamp', read: otelTime, note: 'ns' },
      { role: 'time', path: 'timestamp', read: otelTime },
      { role: 'time', path: 'observedTimeUnixNano', read: otelTime, note: 'ns' },
      { role: 'time', path: 'ObservedTimestamp', read: otelTime, note: 'ns' },
      { role: 'time', path: 'observed_timestamp', read: otelTime },
      { role: 'level', path: 'severityText', read: normalizeLevel },
      { role: 'level', path: 'SeverityText', read: normalizeLevel },
      { role: 'level', path: 'severity_text', read: normalizeLevel },
      { role: 'level', path: 'severityNumber', read: severityNumber, note: '1–24' },
      { role: 'level', path: 'SeverityNumber', read: severityNumber, note: '1–24' },
      { role: 'level', path: 'severity_number', read: severityNumber, note: '1–24' },
      { role: 'message', path: 'body', read: body, note: 'string body' },
      { role: 'message', path: 'Body', read: body, note: 'string body' },
      { role: 'service', path: 'resource', read: resourceService, keep: true, note: '`service.name`' },
      { role: 'service', path: 'Resource', read: resourceService, keep: true, note: '`service.name`' },
      { role: 'trace', path: 'traceId' },
      { role: 'trace', path: 'TraceId' },
      { role: 'trace', path: 'trace_id' },
      { role: 'span', path: 'spanId' },
      { role: 'span', path: 'SpanId' },
      { role: 'span', path: 'span_id' },
    ],
  },
  finish(out: ParsedLine, o: Rec) {
    const attrs = out.attributes;
    if (attrs === undefined) return;
    for (const key of ATTRIBUTE_KEYS) {
      if (!Object.hasOwn(attrs, key)) continue;
      const map = keyValues(o[key]);
      if (map === undefined) continue;
      attrs[key] = map;
      const type = map['exception.type'];
      const message = map['exception.message'];
      const stack = map['exception.stacktrace'];
      if (typeof type === 'string' || typeof message === 'string' || typeof stack === 'string') {
        out.error = {};
        if (typeof type === 'string') out.error.type = type;
        if (typeof message === 'string') out.error.message = message;
        if (typeof stack === 'string') out.error.stack_trace = stack;
      }
    }
    for (const key of ['resource', 'scope'] as const) {
      const part = isRec(attrs[key]) ? attrs[key] : undefined;
      if (part && Array.isArray(part['attributes'])) {
        const map = keyValues(part['attributes']);
        if (map !== undefined) attrs[key] = { ...part, attributes: map };
      }
    }
  },
  finishDoc:
    'OTLP attribute lists (`attributes`, `resource.attributes`, `scope.attributes`) become objects; a `{"resourceLogs":[…]}` export line gives one event per log record (ids `<id>:<n>`), each with its `resource` and `scope` (at most 1000 records a line: above, the line stays one event with `error.type` `OTLP_BATCH_TOO_MANY_RECORDS`; an entry that is not a record gives an event with `error.type` `OTLP_RECORD_INVALID` and the entry in `attributes.otlp_record`); `exception.type` / `exception.message` / `exception.stacktrace` attributes → `error.*`; a 16-hex (pre-1.0 example) trace id stays in `attributes`',
};
