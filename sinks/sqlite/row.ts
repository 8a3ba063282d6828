import { LOG_LEVELS, type LogEvent } from '../../transform/schema.js';
import { type FieldFacts, fieldIndex } from './field-index.js';

/** One row of the `events` table (see `schema.ts`), with what goes beside it into the indexes. */
export interface EventRow {
  readonly id: string;
  readonly ts: number;
  readonly level: string;
  readonly level_num: number;
  readonly service: string;
  readonly transaction_id: string | null;
  readonly trace_id: string | null;
  /** The event as JSON without the fields held in columns (see {@link encodeDoc}). */
  readonly doc: string;
  /** `faas.execution` and `span.id` as `json_extract` gives them (also in `doc`; see {@link linkValue}). */
  readonly faas_execution: LinkValue;
  readonly span_id: LinkValue;
}

/** What `json_extract` gives for a JSON value: a string, a number, 1/0 for a boolean, JSON text, or null. */
export type LinkValue = string | number | null;

/**
 * The value SQLite's `json_extract(doc, path)` gives for `v`, the value at `path` of an event whose
 * `doc` is its `JSON.stringify` (strings and finite numbers as they are, booleans as 1 / 0,
 * objects and arrays as their JSON text, anything else NULL): what layout 4's expression indexes
 * held, so that the columns of layout 5 (`LINK_COLUMNS` in `schema.ts`) answer every comparison
 * as they did. Pure.
 */
export function linkValue(v: unknown): LinkValue {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'boolean':
      return v ? 1 : 0;
    case 'object':
      return v === null ? null : (JSON.stringify(v) ?? null);
    default:
      return null;
  }
}

/** The row's columns that {@link encodeDoc} leaves out of `doc`. */
type DocColumnsOf = Pick<EventRow, 'id' | 'ts' | 'level' | 'service' | 'transaction_id' | 'trace_id'>;

/** An event ready for the store: its row, the text for the full-text index, its attribute keys. */
export interface StoredEvent {
  readonly row: EventRow;
  /** Indexed by FTS5 (contentless: the text itself lives in `doc`). */
  readonly message: string;
  readonly errorText: string;
  /** Its tokens for the field index `fields_fts` (see `field-index.ts`). */
  readonly fieldTokens: string;
  /**
   * What the number rollups and value dictionaries count of it (`field-stats.ts`), from the same
   * walk of the event as its tokens.
   */
  readonly facts: FieldFacts;
}

/** Number of a level (trace 0 … fatal 5), for "at least warn" style filters. */
export const levelNumber = (level: string): number => {
  const n = (LOG_LEVELS as readonly string[]).indexOf(level);
  return n < 0 ? 2 : n;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The stored form of an event: its JSON without the values the row's columns already hold
 * (`@timestamp` when it is the canonical ISO form of `ts`, `event.id`, `log.level`, `service`,
 * `transaction`, `trace`) — about a fifth of the bytes of a typical event. {@link decodeDoc}
 * gives back an event deep-equal to the original. Pure.
 */
export function encodeDoc(event: LogEvent, row: DocColumnsOf): string {
  const ev = event as unknown as Json;
  // One pass over the top-level keys (same order as the event), copying only the objects that
  // lose a member: spreads and rest patterns cost more than the JSON encoding itself.
  const out: Json = {};
  for (const key of Object.keys(ev)) {
    const v = ev[key];
    switch (key) {
      case '@timestamp':
        if (typeof v === 'string' && isoOf(row.ts) === v) continue;
        break;
      case 'event':
        if (isObject(v) && v.id === row.id) {
          out[key] = without(v, 'id');
          continue;
        }
        break;
      case 'log':
        if (isObject(v) && v.level === row.level) {
          out[key] = without(v, 'level');
          continue;
        }
        break;
      case 'service':
      case 'transaction':
      case 'trace': {
        const value =
          key === 'service' ? row.service : key === 'transaction' ? row.transaction_id : row.trace_id;
        const field = key === 'service' ? 'name' : 'id';
        if (value !== null && isObject(v) && v[field] === value) {
          const rest = without(v, field);
          if (Object.keys(rest).length > 0) out[key] = rest;
          continue;
        }
        break;
      }
    }
    out[key] = v;
  }
  return JSON.stringify(out);
}

const isoOf = (ts: number): string => new Date(ts).toISOString();

/** `o` without its member `field` (own keys, in order). */
function without(o: Json, field: string): Json {
  const r: Json = {};
  for (const k of Object.keys(o)) if (k !== field) r[k] = o[k];
  return r;
}

/** The columns an event is read back from, in a `SELECT` (see {@link decodeDoc}). */
export const DOC_COLUMNS = 'id, ts, level, service, transaction_id, trace_id, doc';

/** The columns {@link decodeDoc} reads back. */
export type DocColumns = Pick<
  EventRow,
  'id' | 'ts' | 'level' | 'service' | 'transaction_id' | 'trace_id' | 'doc'
>;

/** The event a stored row holds (the inverse of {@link encodeDoc}). */
export function decodeDoc(r: DocColumns): LogEvent {
  const doc = JSON.parse(r.doc) as Json;
  const out: Json = { '@timestamp': doc['@timestamp'] ?? new Date(r.ts).toISOString(), ...doc };
  out.event = isObject(doc.event) && !('id' in doc.event) ? { id: r.id, ...doc.event } : doc.event;
  if (isObject(doc.log) && !('level' in doc.log)) out.log = { level: r.level, ...doc.log };
  const put = (key: string, field: string, value: string | null): void => {
    if (value === null) return;
    const o = doc[key];
    if (o === undefined) out[key] = { [field]: value };
    else if (isObject(o) && !(field in o)) out[key] = { [field]: value, ...o };
  };
  put('service', 'name', r.service);
  put('transaction', 'id', r.transaction_id);
  put('trace', 'id', r.trace_id);
  return out as unknown as LogEvent;
}

/**
 * Turns an event into a stored row, or explains (without echoing content) why it cannot be
 * stored. Pure; the store validates every event through this before opening a transaction, so
 * one bad event never rolls back its neighbours.
 */
export function toRow(event: LogEvent): { ok: true; stored: StoredEvent } | { ok: false; reason: string } {
  const id = event.event?.id;
  if (typeof id !== 'string' || id.length === 0)
    return { ok: false, reason: 'event.id is missing; expected a non-empty string' };
  const ts = Date.parse(event['@timestamp']);
  if (!Number.isFinite(ts)) return { ok: false, reason: '@timestamp is not a valid ISO 8601 time' };
  const level = event.log?.level;
  if (typeof level !== 'string')
    return { ok: false, reason: 'log.level is missing; expected one of trace…fatal' };
  const service = event.service?.name;
  if (typeof service !== 'string') return { ok: false, reason: 'service.name is missing; expected a string' };
  const err = event.error;
  const errorText = err
    ? [err.type, err.message, err.stack_trace].filter((s) => typeof s === 'string').join('\n')
    : '';
  const index = fieldIndex(event);
  const txId = event.transaction?.id;
  const traceId = event.trace?.id;
  const transaction_id = typeof txId === 'string' ? txId : null;
  const trace_id = typeof traceId === 'string' ? traceId : null;
  // Every member written out: a spread followed by more members makes V8 build the object on a
  // slow path (about 4 µs an event, measured) and leaves it slower to read.
  const row: EventRow = {
    id,
    ts,
    level,
    level_num: levelNumber(level),
    service,
    transaction_id,
    trace_id,
    doc: encodeDoc(event, { id, ts, level, service, transaction_id, trace_id }),
    faas_execution: event.faas ? linkValue(event.faas.execution) : null,
    span_id: event.span ? linkValue(event.span.id) : null,
  };
  return {
    ok: true,
    stored: {
      row,
      message: typeof event.message === 'string' ? event.message : '',
      errorText,
      fieldTokens: index.tokens,
      facts: index.facts,
    },
  };
}
