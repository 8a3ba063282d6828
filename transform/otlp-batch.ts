import { OTLP_BATCH_ERROR_CODES, OtlpBatchError } from './errors.js';
import { parseJsonObject } from './json-safe.js';
import { detectFormat, parseRecord } from './parse-record.js';
import type { ParsedLine, ParserSettings } from './parsed.js';

type Rec = Record<string, unknown>;

/**
 * Most log records of one OTLP `resourceLogs` line split into events. A CloudWatch line is at most
 * 256 KiB, so a real export is far below it; a line above it stays one event, with an error saying
 * why.
 */
export const MAX_OTLP_RECORDS_PER_LINE = 1000;

/** `{"resourceLogs":` at the start of a line (spaces allowed): the cheap test before any parsing. */
const BATCH_START = /^\s*\{\s*"resourceLogs"\s*:/;

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What splitting a line gave: its records, or too many of them (how many). */
export type OtlpSplit =
  | { readonly kind: 'records'; readonly records: readonly ParsedLine[] }
  | { readonly kind: 'too_many'; readonly count: number; readonly error: OtlpBatchError };

/** True when the line may be an OTLP/JSON export (`{"resourceLogs":[…]}`). Cheap; no parsing. */
export const isOtlpBatchLine = (line: string): boolean => line.length > 16 && BATCH_START.test(line);

/** The entries of `o[key]` when it is an array, else none. */
const list = (o: Rec, key: string): unknown[] => (Array.isArray(o[key]) ? (o[key] as unknown[]) : []);

/**
 * Splits an OTLP/JSON `LogsData` line (`{"resourceLogs":[{"resource","scopeLogs":[{"scope",
 * "logRecords":[…]}]}]}`, as the collector's file exporter and OTLP/HTTP JSON write it) into one
 * parsed record per `logRecord`, in order. Each record is read by the OpenTelemetry family as a
 * single record is, with its `resource` (whose `service.name` names the service) and its `scope`
 * beside it. A `logRecords` entry that is not an object gives a record carrying an
 * {@link OtlpBatchError} (`OTLP_RECORD_INVALID`) and the entry in `attributes.otlp_record`; the
 * others are unaffected. Returns undefined when the line is not such an export (then it is an
 * ordinary line), and `too_many` above {@link MAX_OTLP_RECORDS_PER_LINE} records. Pure; never
 * throws.
 */
export function splitOtlpBatch(line: string, s: ParserSettings): OtlpSplit | undefined {
  const parsed = parseJsonObject(line, s.maxDepth);
  if (parsed.kind !== 'object' || !Array.isArray(parsed.value['resourceLogs'])) return undefined;
  const groups: { resource: unknown; scope: unknown; records: unknown[] }[] = [];
  let count = 0;
  for (const rl of parsed.value['resourceLogs'] as unknown[]) {
    if (!isRec(rl)) continue;
    for (const sl of list(rl, 'scopeLogs')) {
      if (!isRec(sl)) continue;
      const records = list(sl, 'logRecords');
      groups.push({ resource: rl['resource'], scope: sl['scope'], records });
      count += records.length;
    }
  }
  if (count === 0) return undefined;
  if (count > MAX_OTLP_RECORDS_PER_LINE)
    return {
      kind: 'too_many',
      count,
      error: new OtlpBatchError(
        OTLP_BATCH_ERROR_CODES.tooManyRecords,
        `an OTLP resourceLogs line with ${count} log records: at most ${MAX_OTLP_RECORDS_PER_LINE} are split into events, so the line is kept as one event (export smaller batches)`,
      ),
    };
  const out: ParsedLine[] = [];
  let k = 0;
  for (const g of groups) {
    for (const rec of g.records) {
      out.push(isRec(rec) ? recordOf(rec, g.resource, g.scope, line, s) : invalid(rec, k, g.resource));
      k += 1;
    }
  }
  return { kind: 'records', records: out };
}

/** One log record with its resource and scope, read by the families as a single record. */
function recordOf(rec: Rec, resource: unknown, scope: unknown, line: string, s: ParserSettings): ParsedLine {
  const o: Rec = { ...rec };
  if (resource !== undefined && !Object.hasOwn(o, 'resource')) o['resource'] = resource;
  if (scope !== undefined && !Object.hasOwn(o, 'scope')) o['scope'] = scope;
  const p = parseRecord(o, line, s, detectFormat(o), true);
  // A logRecord of an OTLP export is an OpenTelemetry record, whatever keys it happens to have.
  p.format = 'otel';
  return p;
}

/** `service.name` of an OTLP resource (`{"attributes":[{"key","value":{"stringValue"}}]}`). */
function serviceOf(resource: unknown): string | undefined {
  if (!isRec(resource)) return undefined;
  for (const kv of list(resource, 'attributes')) {
    if (!isRec(kv) || kv['key'] !== 'service.name' || !isRec(kv['value'])) continue;
    const v = kv['value']['stringValue'];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** A `logRecords` entry that is not an object: an error record of its resource's service that keeps the entry. */
function invalid(entry: unknown, k: number, resource: unknown): ParsedLine {
  const found = entry === null ? 'null' : Array.isArray(entry) ? 'an array' : `a ${typeof entry}`;
  const err = new OtlpBatchError(
    OTLP_BATCH_ERROR_CODES.recordInvalid,
    `log record ${k} of an OTLP resourceLogs line is ${found}: expected a LogRecord object`,
  );
  const out: ParsedLine = {
    format: 'otel',
    message: err.message,
    level: 'error',
    error: { type: err.code, message: err.message },
    attributes: { otlp_record: entry },
  };
  const service = serviceOf(resource);
  if (service !== undefined) out.service = service;
  return out;
}
