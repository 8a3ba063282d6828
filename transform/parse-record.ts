import {
  defineOwn,
  type ErrorFields,
  errorFromObject,
  errorFromStack,
  looksLikeStack,
} from './error-fields.js';
import { idToString, parseTraceId } from './ids.js';
import { normalizeLevel } from './levels.js';
import type { FieldSpec, ParsedLine, ParserSettings } from './parsed.js';
import type { LogFormat } from './schema.js';
import { toIsoMs } from './time.js';

type Rec = Record<string, unknown>;

const LEVEL_KEYS = ['level', 'severity', 'lvl', 'loglevel', 'log_level'] as const;
const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', 'datetime', 'date'] as const;
const SERVICE_KEYS = ['service', 'serviceName', 'service_name'] as const;
const LOGGER_KEYS = ['logger', 'loggerName', 'logger_name'] as const;
const EXECUTION_KEYS = ['function_request_id', 'awsRequestId', 'aws_request_id', 'lambdaRequestId'] as const;
const ERROR_KEYS = ['err', 'error', 'exception'] as const;
/** Top-level attribute keys whose unsafe-integer values are kept as exact decimal strings. */
const ID_KEY = /^id$|[_.-]id$|[a-z0-9](?:Id|ID)$/i;

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Recognises the logger that wrote a JSON record (see `LOG_FORMATS`). */
export function detectFormat(o: Rec): LogFormat {
  const level = o['level'];
  if (typeof level === 'number') {
    if (o['v'] === 0 && typeof o['msg'] === 'string' && typeof o['time'] === 'string') return 'bunyan';
    if (typeof o['time'] === 'number') return 'pino';
  } else if (typeof level === 'string') {
    if (typeof o['time'] === 'number' && 'msg' in o) return 'pino';
    if (
      'message' in o &&
      typeof o['service'] === 'string' &&
      ('cold_start' in o || 'function_request_id' in o || 'sampling_rate' in o || 'xray_trace_id' in o)
    )
      return 'powertools';
  }
  return 'json';
}

/** Reads a configured field (top-level key, then the dotted path) as an own property. */
function readField(o: Rec, spec: FieldSpec): { value: unknown; top: string; whole: boolean } | undefined {
  if (Object.hasOwn(o, spec.key)) return { value: o[spec.key], top: spec.key, whole: true };
  if (!spec.path) return undefined;
  let cur: unknown = o;
  for (const part of spec.path) {
    if (!isRec(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  const top = spec.path[0]!;
  const container = o[top] as Rec;
  return { value: cur, top, whole: spec.path.length === 2 && Object.keys(container).length === 1 };
}

/**
 * Reads one JSON log record (already parsed from `source`) into a {@link ParsedLine}: level,
 * time, message, service, ids, error; every key it did not use goes to `attributes` as it was
 * (integers beyond 2^53 in id-like keys become exact decimal strings).
 */
export function parseRecord(
  o: Rec,
  source: string | undefined,
  s: ParserSettings,
  format: LogFormat,
): ParsedLine {
  const used: string[] = [];
  const out: ParsedLine = { format, message: '' };
  const first = (keys: readonly string[]): string | undefined => {
    for (const k of keys) if (o[k] !== undefined && !used.includes(k)) return k;
    return undefined;
  };

  for (const k of LEVEL_KEYS) {
    const level = normalizeLevel(o[k]);
    if (level !== undefined) {
      out.level = level;
      used.push(k);
      break;
    }
  }
  for (const k of TIME_KEYS) {
    const time = o[k] === undefined ? undefined : toIsoMs(o[k]);
    if (time !== undefined) {
      out.time = time;
      used.push(k);
      break;
    }
  }
  const msgKey =
    format === 'pino' || format === 'bunyan' ? first(['msg', 'message']) : first(['message', 'msg']);
  if (msgKey !== undefined) {
    const m = o[msgKey];
    if (typeof m === 'string') out.message = m;
    else if (typeof m === 'number' || typeof m === 'boolean') out.message = String(m);
    if (typeof m !== 'object') used.push(msgKey);
  }
  for (const k of SERVICE_KEYS) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') {
      out.service = v;
      used.push(k);
      break;
    }
    if (isRec(v) && typeof v['name'] === 'string' && v['name'] !== '') {
      out.service = v['name'];
      if (Object.keys(v).length === 1) used.push(k);
      break;
    }
  }
  if (
    out.service === undefined &&
    (format === 'pino' || format === 'bunyan') &&
    typeof o['name'] === 'string'
  ) {
    out.service = o['name'];
    used.push('name');
  }
  const loggerKey = first(LOGGER_KEYS);
  if (loggerKey !== undefined && typeof o[loggerKey] === 'string') {
    out.logger = o[loggerKey] as string;
    used.push(loggerKey);
  }
  if (format === 'bunyan') used.push('v');

  for (const spec of s.transactionFields) {
    const f = readField(o, spec);
    const id = f && idToString(f.value, spec.path ? spec.path[spec.path.length - 1]! : spec.key, source);
    if (id !== undefined) {
      out.transactionId = id;
      if (f!.whole) used.push(f!.top);
      break;
    }
  }
  for (const spec of s.traceFields) {
    const f = readField(o, spec);
    const id = f && parseTraceId(f.value);
    if (id !== undefined) {
      out.traceId = id;
      if (f!.whole) used.push(f!.top);
      break;
    }
  }
  for (const k of EXECUTION_KEYS) {
    const id = idToString(o[k], k, source);
    if (id !== undefined) {
      out.execution = id;
      used.push(k);
      break;
    }
  }
  if (typeof o['function_name'] === 'string') {
    out.faasName = o['function_name'];
    used.push('function_name');
  }
  for (const k of ['cold_start', 'coldStart']) {
    if (typeof o[k] === 'boolean') {
      out.coldstart = o[k] as boolean;
      used.push(k);
      break;
    }
  }
  const errorRest = readError(o, out, used);

  let attributes: Rec | undefined;
  for (const k of Object.keys(o)) {
    if (used.includes(k)) continue;
    attributes ??= {};
    let v = o[k];
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && ID_KEY.test(k)) {
      v = idToString(v, k, source);
    }
    defineOwn(attributes, k, v);
  }
  if (errorRest !== undefined) {
    attributes ??= {};
    defineOwn(attributes, errorRest.key, errorRest.rest);
  }
  if (attributes !== undefined) out.attributes = attributes;
  return out;
}

/**
 * Fills `out.error` from `err`/`error`/`exception` (object or string), the Lambda runtime's
 * top-level `errorType`/`errorMessage`/`stackTrace`, and a winston-style top-level `stack`.
 * Returns the error object's other keys, which stay in attributes under the same key.
 */
function readError(o: Rec, out: ParsedLine, used: string[]): { key: string; rest: Rec } | undefined {
  let rest: { key: string; rest: Rec } | undefined;
  for (const k of ERROR_KEYS) {
    const v = o[k];
    if (isRec(v)) {
      const r = errorFromObject(v);
      if (r === undefined) continue;
      out.error = r.fields;
      used.push(k);
      if (r.rest !== undefined) rest = { key: k, rest: r.rest };
      break;
    }
    if (typeof v === 'string' && v !== '') {
      out.error = looksLikeStack(v) ? errorFromStack(v) : { message: v };
      used.push(k);
      break;
    }
  }
  if (
    out.error === undefined &&
    (typeof o['errorType'] === 'string' || typeof o['errorMessage'] === 'string')
  ) {
    const view: Rec = {};
    for (const k of ['errorType', 'errorMessage', 'stackTrace', 'stack']) {
      if (o[k] !== undefined && (k !== 'stack' || Array.isArray(o[k]))) {
        view[k] = o[k];
        used.push(k);
      }
    }
    out.error = errorFromObject(view)?.fields ?? {};
  }
  const stack = o['stack'];
  if (typeof stack === 'string' && stack !== '') {
    if (out.error === undefined) {
      out.error = errorFromStack(stack);
      used.push('stack');
    } else if (out.error.stack_trace === undefined) {
      (out.error as ErrorFields).stack_trace = stack;
      used.push('stack');
    }
  }
  return rest;
}
