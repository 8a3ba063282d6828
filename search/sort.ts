import type { LogLevel } from '../transform/schema.js';
import { SearchRequestError } from './errors.js';
import { fieldType } from './fields.js';

/** A direction: `desc` (newest, largest, most severe, Z first) or `asc`. */
export type SortDirection = 'desc' | 'asc';

/**
 * How a field sorts, and so how each backend walks it:
 * - `time`: `@timestamp` (the default), an index walk in time order;
 * - `group`: a field of few values (`service.name` by name, `log.level` by severity), walked one
 *   value after the other, each value's events in time order (on the SQLite store through its
 *   (service, ts) and (level, ts) indexes: every page is index-backed);
 * - `number`: a number of the schema (Lambda REPORT figures); exact on OpenSearch (doc values), on
 *   the SQLite store sorted among the newest {@link SQLITE_NUMBER_SORT_WINDOW} matches (no index:
 *   the answer says so with `sortWindow`).
 */
export type SortKind = 'time' | 'group' | 'number';

/** The fields a result list can be sorted by, and their kind. */
export const SORT_FIELDS: Readonly<Record<string, SortKind>> = Object.freeze({
  '@timestamp': 'time',
  'service.name': 'group',
  'log.level': 'group',
  'lambda.report.duration_ms': 'number',
  'lambda.report.billed_duration_ms': 'number',
  'lambda.report.init_duration_ms': 'number',
  'lambda.report.memory_size_mb': 'number',
  'lambda.report.max_memory_used_mb': 'number',
});

/** Levels from least to most severe: the order `log.level:asc` walks. */
export const LEVEL_ORDER: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * Events the SQLite store sorts by a number among: the newest this many matches of the query and
 * range (the store keeps no index on those fields, so an unbounded sort would read every row).
 */
export const SQLITE_NUMBER_SORT_WINDOW = 10_000;

/**
 * A sort of a result list: a field and a direction. Events with the same value (and events without
 * the field, always last) follow newest first, ties by the event's unique tiebreaker, so paging is
 * stable; a `time` sort is the time order itself.
 */
export interface SortSpec {
  readonly field: string;
  readonly order: SortDirection;
}

/** The default: newest first. */
export const TIME_DESC: SortSpec = Object.freeze({ field: '@timestamp', order: 'desc' });

/** The kind of a sort's field. */
export const sortKind = (s: SortSpec): SortKind => SORT_FIELDS[s.field] ?? 'time';

/** The `sort` parameter of a spec: `desc`/`asc` for time (as before), else `<field>:<direction>`. */
export function printSort(s: SortSpec): string {
  return s.field === '@timestamp' ? s.order : `${s.field}:${s.order}`;
}

const ALIASES: Readonly<Record<string, string>> = {
  service: 'service.name',
  level: 'log.level',
  duration: 'lambda.report.duration_ms',
  timestamp: '@timestamp',
};

/**
 * Reads a `sort` parameter: absent, `desc` or `asc` (time), or `<field>:<asc|desc>` for a field of
 * {@link SORT_FIELDS} (short names `service`, `level`, `duration` too). Throws
 * {@link SearchRequestError} naming what is sortable otherwise. Pure.
 */
export function parseSort(raw: string | null | undefined): SortSpec {
  if (raw === null || raw === undefined || raw === '' || raw === 'desc') return TIME_DESC;
  if (raw === 'asc') return { field: '@timestamp', order: 'asc' };
  const m = /^([\w.@]{1,64}):(asc|desc)$/.exec(raw);
  const field = m ? (ALIASES[m[1]!] ?? m[1]!) : undefined;
  if (!m || field === undefined || SORT_FIELDS[field] === undefined) {
    const known = fieldType(m?.[1] ?? '') !== undefined && m ? ` (${m[1]} is not sortable)` : '';
    throw new SearchRequestError(
      `parameter sort must be desc, asc or <field>:<asc|desc> with a field of ${Object.keys(SORT_FIELDS).join(', ')}${known}`,
    );
  }
  return { field, order: m[2] as SortDirection };
}

/**
 * Where a page of a field sort ended: the last event's sort value (`null`: it lacks the field),
 * time and tiebreaker, and — for a sort over a window of the newest matches — the window (the
 * store's highest row number when the first page was read, so rows stored since stay out, and the
 * window's oldest row, so the pages of one list sort the same events).
 */
export interface SortKey {
  readonly sort: SortSpec;
  readonly v: string | number | null;
  readonly t: number;
  readonly tie: number | string;
  readonly window?: readonly [maxSeq: number, oldestTs: number, oldestSeq: number, truncated: 0 | 1];
}

const badCursor = (why: string): SearchRequestError =>
  new SearchRequestError(`bad page cursor (${why}): expected the "next" value a previous page returned`);

/** An opaque, URL-safe cursor for {@link SortKey}. Pure. */
export function encodeSortCursor(key: SortKey): string {
  const parts: unknown[] = [printSort(key.sort), key.t, key.tie, key.v];
  if (key.window !== undefined) parts.push(key.window);
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Reads a cursor of {@link encodeSortCursor}, which must be for `sort`. Pure. */
export function decodeSortCursor(cursor: string, sort: SortSpec): SortKey {
  if (cursor.length === 0 || cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw badCursor('not a cursor');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor');
  }
  if (!Array.isArray(v) || (v.length !== 4 && v.length !== 5)) throw badCursor('not a cursor');
  const [s, t, tie, value, window] = v as unknown[];
  if (typeof s !== 'string') throw badCursor('not a cursor');
  if (s !== printSort(sort)) throw badCursor(`it is for sort=${s}, not sort=${printSort(sort)}`);
  const okTie =
    (typeof tie === 'number' && Number.isSafeInteger(tie)) ||
    (typeof tie === 'string' && tie.length > 0 && tie.length <= 1024);
  const okValue =
    value === null ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= 1024);
  const okWindow =
    window === undefined ||
    (Array.isArray(window) &&
      window.length === 4 &&
      window.every((n) => typeof n === 'number' && Number.isSafeInteger(n)) &&
      (window[3] === 0 || window[3] === 1));
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || !okTie || !okValue || !okWindow)
    throw badCursor('not a cursor');
  return {
    sort,
    t,
    tie: tie as number | string,
    v: value as string | number | null,
    ...(window !== undefined ? { window: window as [number, number, number, 0 | 1] } : {}),
  };
}
