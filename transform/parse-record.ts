import {
  defineOwn,
  type ErrorFields,
  errorFromObject,
  errorFromStack,
  looksLikeStack,
  stackText,
} from './error-fields.js';
import { parseFamilyRecord } from './families/index.js';
import { idToString, parseSpanId, parseTraceId } from './ids.js';
import { normalizeLevel } from './levels.js';
import type { FieldSpec, ParsedLine, ParserSettings } from './parsed.js';
import { G } from './roles.js';
import type { LogFormat } from './schema.js';
import { toIsoMs } from './time.js';

type Rec = Record<string, unknown>;

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
      ('cold_start' in o ||
        'function_request_id' in o ||
        'lambda_request_id' in o ||
        'sampling_rate' in o ||
        'xray_trace_id' in o)
    )
      return 'powertools';
  }
  return 'json';
}

/** A role a key of this record plays (the compiled role object itself: no allocation per record). */
interface Hit {
  readonly k: string;
  readonly g: number;
  readonly p: number;
  readonly spec?: FieldSpec | undefined;
}

const NONE: readonly Hit[] = [];
const byPriority = (a: Hit, b: Hit): number => a.p - b.p || (a.spec?.path ? 1 : 0) - (b.spec?.path ? 1 : 0);

// Reused for the common case of a single hit: valid only until the next `group` call (callers
// consume the result before calling again), so records cost no array allocation per group.
const ONE: Hit[] = [];

/**
 * The hits of one group, best (lowest priority, literal key before nested path) first. The
 * returned array is only valid until the next call.
 */
function group(hits: readonly Hit[], g: number, present: number): readonly Hit[] {
  if ((present & (1 << g)) === 0) return NONE; // no key of this group in the record
  let first: Hit | undefined;
  let out: Hit[] | undefined;
  for (const h of hits) {
    if (h.g !== g) continue;
    if (first === undefined) first = h;
    else {
      out ??= [first];
      out.push(h);
    }
  }
  if (first === undefined) return NONE;
  if (out === undefined) {
    ONE[0] = first;
    return ONE;
  }
  out.sort(byPriority);
  return out;
}

/** The value a configured id field names: the key's own value, or the nested path below it. */
function idValue(o: Rec, h: Hit): { value: unknown; whole: boolean; last: string } | undefined {
  const path = h.spec?.path;
  if (!path) return { value: o[h.k], whole: true, last: h.k };
  let cur: unknown = o;
  for (const part of path) {
    if (!isRec(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return {
    value: cur,
    whole: path.length === 2 && Object.keys(o[h.k] as Rec).length === 1,
    last: path[path.length - 1]!,
  };
}

/**
 * Reads one JSON log record (already parsed from `source`) into a {@link ParsedLine}: level,
 * time, message, service, ids, error; every key it did not use goes to `attributes` as it was
 * (integers beyond 2^53 in id-like keys become exact decimal strings). One pass over the keys
 * with the compiled role table; no per-record probing of candidate names. With `families`, a
 * record whose keys point at a log family (see `transform/families/`) is read by that family's
 * mapping instead.
 */
export function parseRecord(
  o: Rec,
  source: string | undefined,
  s: ParserSettings,
  format: LogFormat,
  families = false,
): ParsedLine {
  const out: ParsedLine = { format, message: '' };
  const keys = Object.keys(o);
  const hits: Hit[] = [];
  let attributes: Rec | undefined;
  let candidates: number[] | undefined;
  let present = 0; // bit g set when some key plays a role of group g
  for (const k of keys) {
    const roles = s.roles.get(k);
    let generic = false;
    if (roles !== undefined) {
      for (const r of roles) {
        if (r.g === G.family) {
          candidates ??= [];
          candidates.push(r.p);
        } else {
          hits.push(r);
          present |= 1 << r.g;
          generic = true;
        }
      }
    }
    if (generic) continue;
    attributes ??= {};
    let v = o[k];
    if (typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v) && ID_KEY.test(k)) {
      v = idToString(v, k, source);
    }
    defineOwn(attributes, k, v);
  }
  // A key pointed at a log family (ECS, CLEF, OpenTelemetry…): its own mapping reads the record.
  if (families && candidates !== undefined) {
    const family = parseFamilyRecord(o, candidates, s);
    if (family !== undefined) return family;
  }
  if (hits.length === 0) {
    if (attributes !== undefined) out.attributes = attributes;
    return out;
  }
  const used: string[] = [];
  const pino = format === 'pino' || format === 'bunyan';

  for (const h of group(hits, G.level, present)) {
    const level = normalizeLevel(o[h.k]);
    if (level !== undefined) {
      out.level = level;
      used.push(h.k);
      break;
    }
  }
  for (const h of group(hits, G.time, present)) {
    const time = toIsoMs(o[h.k]);
    if (time !== undefined) {
      out.time = time;
      used.push(h.k);
      break;
    }
  }
  const msgs = group(hits, G.msg, present);
  const msg = pino && msgs.length > 1 ? msgs[1] : msgs[0];
  if (msg !== undefined) {
    const m = o[msg.k];
    if (typeof m === 'string') out.message = m;
    else if (typeof m === 'number' || typeof m === 'boolean') out.message = String(m);
    if (typeof m !== 'object') used.push(msg.k);
  }
  for (const h of group(hits, G.service, present)) {
    const v = o[h.k];
    if (typeof v === 'string' && v !== '') {
      out.service = v;
      used.push(h.k);
      break;
    }
    if (isRec(v) && typeof v['name'] === 'string' && v['name'] !== '') {
      out.service = v['name'];
      if (Object.keys(v).length === 1) used.push(h.k);
      break;
    }
  }
  if (out.service === undefined && pino && typeof o['name'] === 'string') {
    out.service = o['name'];
    used.push('name');
  }
  const logger = group(hits, G.logger, present)[0];
  if (logger !== undefined && typeof o[logger.k] === 'string') {
    out.logger = o[logger.k] as string;
    used.push(logger.k);
  }
  if (format === 'bunyan' && o['v'] !== undefined) used.push('v');
  for (const h of group(hits, G.tx, present)) {
    const f = idValue(o, h);
    const id = f && idToString(f.value, f.last, source);
    if (id !== undefined) {
      out.transactionId = id;
      if (f!.whole) used.push(h.k);
      break;
    }
  }
  for (const h of group(hits, G.trace, present)) {
    const f = idValue(o, h);
    const id = f && parseTraceId(f.value);
    if (id !== undefined) {
      out.traceId = id;
      if (f!.whole) used.push(h.k);
      // A W3C traceparent carries the span (parent) id too.
      const span = parseSpanId(f!.value);
      if (span !== undefined) out.spanId = span;
      break;
    }
  }
  for (const h of group(hits, G.span, present)) {
    const id = parseSpanId(o[h.k]);
    if (id !== undefined) {
      out.spanId = id;
      used.push(h.k);
      break;
    }
  }
  for (const h of group(hits, G.exec, present)) {
    const id = idToString(o[h.k], h.k, source);
    if (id !== undefined) {
      out.execution = id;
      used.push(h.k);
      break;
    }
  }
  for (const h of group(hits, G.fname, present)) {
    if (typeof o[h.k] === 'string' && o[h.k] !== '') {
      out.faasName = o[h.k] as string;
      used.push(h.k);
      break;
    }
  }
  for (const h of group(hits, G.cold, present)) {
    if (typeof o[h.k] === 'boolean') {
      out.coldstart = o[h.k] as boolean;
      used.push(h.k);
      break;
    }
  }
  const errorRest = readError(o, hits, present, out, used, format);

  // Role keys that were not used after all (e.g. a `level` of an unknown value) stay in
  // attributes: rebuild them in the record's key order (rare).
  if (used.length !== hits.length || !allUsed(hits, used)) {
    attributes = undefined;
    for (const k of keys) {
      if (used.includes(k)) continue;
      attributes ??= {};
      let v = o[k];
      if (typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v) && ID_KEY.test(k)) {
        v = idToString(v, k, source);
      }
      defineOwn(attributes, k, v);
    }
  }
  if (errorRest !== undefined) {
    attributes ??= {};
    defineOwn(attributes, errorRest.key, errorRest.rest);
  }
  if (attributes !== undefined) out.attributes = attributes;
  return out;
}

/** True when the key of every hit is in `used`. */
function allUsed(hits: readonly Hit[], used: readonly string[]): boolean {
  for (const h of hits) if (!used.includes(h.k)) return false;
  return true;
}

/**
 * Fills `out.error` from `err`/`error`/`exception` (object or string), the Lambda runtime's
 * top-level `errorType`/`errorMessage`/`stackTrace`, and a winston-style top-level `stack`.
 * Returns the error object's other keys, which stay in attributes under the same key.
 */
function readError(
  o: Rec,
  hits: readonly Hit[],
  present: number,
  out: ParsedLine,
  used: string[],
  format: LogFormat,
): { key: string; rest: Rec } | undefined {
  let rest: { key: string; rest: Rec } | undefined;
  for (const h of group(hits, G.err, present)) {
    const v = o[h.k];
    if (isRec(v)) {
      const r = errorFromObject(v);
      if (r === undefined) continue;
      out.error = r.fields;
      used.push(h.k);
      if (r.rest !== undefined) rest = { key: h.k, rest: r.rest };
      break;
    }
    if (typeof v === 'string' && v !== '') {
      out.error = looksLikeStack(v) ? errorFromStack(v) : { message: v };
      used.push(h.k);
      break;
    }
  }
  if (
    out.error === undefined &&
    (typeof o['errorType'] === 'string' || typeof o['errorMessage'] === 'string')
  ) {
    const view: Rec = {};
    for (const k of ['errorType', 'errorMessage', 'stackTrace', 'stack']) {
      if (o[k] !== undefined && Object.hasOwn(o, k) && (k !== 'stack' || Array.isArray(o[k]))) {
        view[k] = o[k];
        used.push(k);
      }
    }
    out.error = errorFromObject(view)?.fields ?? {};
  }
  // A top-level stack: winston's `stack`, logstash / Cloud Logging `stack_trace`, a `stackTrace`
  // array of lines (Java) or Go frames.
  for (const h of group(hits, G.stack, present)) {
    if (used.includes(h.k)) continue;
    const stack = stackText(o[h.k]);
    if (stack === undefined || stack === '') continue;
    if (out.error === undefined) {
      out.error = errorFromStack(stack);
      used.push(h.k);
    } else if (out.error.stack_trace === undefined) {
      (out.error as ErrorFields).stack_trace = stack;
      used.push(h.k);
    }
    break;
  }
  // pino (before v7) logged an Error's own fields at the top: `"type":"Error"` beside `stack`;
  // Powertools (Python) writes the class as `exception_name` beside its `exception` traceback.
  const named = format === 'pino' || format === 'bunyan' ? 'type' : 'exception_name';
  if (out.error !== undefined && typeof o[named] === 'string' && !used.includes(named)) {
    if (out.error.type === undefined || out.error.type === o[named]) {
      out.error.type = o[named] as string;
      used.push(named);
    }
  }
  return rest;
}
