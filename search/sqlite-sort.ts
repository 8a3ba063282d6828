import type Database from 'better-sqlite3';
import { DOC_COLUMNS, type DocColumns, decodeDoc } from '../sinks/sqlite/row.js';
import type { LogEvent } from '../transform/schema.js';
import { SearchRequestError } from './errors.js';
import {
  decodeSortCursor,
  encodeSortCursor,
  LEVEL_ORDER,
  type SortKey,
  type SortSpec,
  SQLITE_NUMBER_SORT_WINDOW,
  sortKind,
} from './sort.js';
import { liveTerm } from './sqlite-live.js';
import { jsonPath, type SqlWhere } from './sqlite-query.js';
import type { PageResponse } from './types.js';

/** Rows read between two looks at the clock. */
const CHECK_EVERY = 256;
/** The stop check each walk has first (`sqlite-live.ts`). */
const LIVE = liveTerm('seq');
/** The key of "the start of a group": before every event of it. */
const GROUP_START = Number.MAX_SAFE_INTEGER;

/** What a sorted page reads: the query (without time), the range, the sort, the page and a deadline. */
export interface SortedPageRequest {
  readonly pred: SqlWhere;
  readonly range: { readonly from: number; readonly to: number };
  readonly sort: SortSpec;
  readonly limit: number;
  readonly after: string | undefined;
  /** A `performance.now()` time: past it a page returns what it found, with a cursor to go on. */
  readonly deadline: number;
}

/** The `events` column of a group sort's field (each has a (column, ts) index). */
const GROUP_COLUMN: Readonly<Record<string, 'service' | 'level'>> = {
  'service.name': 'service',
  'log.level': 'level',
};

/** The events of these row numbers, in this order. */
function docsOf(db: Database.Database, seqs: readonly number[]): LogEvent[] {
  if (seqs.length === 0) return [];
  const rows = db
    .prepare(`SELECT seq, ${DOC_COLUMNS} FROM events WHERE seq IN (${seqs.map(() => '?').join(',')})`)
    .all(...seqs) as (DocColumns & { seq: number })[];
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  return seqs.flatMap((s) => {
    const r = bySeq.get(s);
    return r ? [decodeDoc(r)] : [];
  });
}

/**
 * The values of a group field in sort order from `start` (inclusive) on: levels in severity order,
 * services by name, each next one found by one seek in the (service, ts) index.
 */
function* groupValues(
  db: Database.Database,
  column: 'service' | 'level',
  desc: boolean,
  start: string | undefined,
): Generator<string> {
  if (column === 'level') {
    const order = desc ? [...LEVEL_ORDER].reverse() : LEVEL_ORDER;
    const from = start === undefined ? 0 : order.indexOf(start as (typeof order)[number]);
    if (from < 0)
      throw new SearchRequestError(
        'bad page cursor (not a level): expected the "next" value a previous page returned',
      );
    yield* order.slice(from);
    return;
  }
  const next = db.prepare(
    desc
      ? 'SELECT max(service) AS v FROM events WHERE service < ?'
      : 'SELECT min(service) AS v FROM events WHERE service > ?',
  );
  let v: string | null | undefined = start;
  if (v === undefined)
    v = (db.prepare(`SELECT ${desc ? 'max' : 'min'}(service) AS v FROM events`).get() as { v: string | null })
      .v;
  while (v !== null && v !== undefined) {
    yield v;
    v = (next.get(v) as { v: string | null }).v;
  }
}

/**
 * A page sorted by a group field: one value after the other (in the field's order), each value's
 * events newest first, read on the (column, ts) index with the query tested on each row. Stops at
 * `limit + 1` matches, or at the deadline with a cursor at the last row read (a short page whose
 * `next` goes on from there, as a time-ordered page of the store does).
 */
function groupPage(db: Database.Database, req: SortedPageRequest, after: SortKey | undefined): PageResponse {
  const { pred, range, sort, limit } = req;
  const column = GROUP_COLUMN[sort.field]!;
  const found: { seq: number; ts: number; v: string }[] = [];
  const startValue = after ? String(after.v) : undefined;
  let stop: { v: string; t: number; tie: number } | undefined;
  let i = 0;
  groups: for (const value of groupValues(db, column, sort.order === 'desc', startValue)) {
    if (performance.now() > req.deadline && found.length > 0) {
      stop = { v: value, t: GROUP_START, tie: GROUP_START };
      break;
    }
    const params: (string | number)[] = [...pred.params, value, range.from, range.to];
    let cursor = '';
    if (after && value === startValue) {
      cursor = ' AND (ts, seq) < (?, ?)';
      params.push(after.t, after.tie);
    }
    const it = db
      .prepare(
        `SELECT ts, seq, coalesce((${pred.sql}), 0) AS m FROM events
         WHERE ${LIVE} AND ${column} = ? AND ts >= ? AND ts < ?${cursor} ORDER BY ts DESC, seq DESC`,
      )
      .iterate(...params) as IterableIterator<{ ts: number; seq: number; m: number }>;
    for (const r of it) {
      if (r.m) found.push({ seq: r.seq, ts: r.ts, v: value });
      if (found.length > limit) {
        it.return?.();
        break groups;
      }
      if (++i % CHECK_EVERY === 0 && performance.now() > req.deadline) {
        it.return?.();
        stop = { v: value, t: r.ts, tie: r.seq };
        break groups;
      }
    }
  }
  const shown = found.slice(0, limit);
  const last = shown.at(-1);
  const at = found.length > limit && last ? { v: last.v, t: last.ts, tie: last.seq } : stop;
  return {
    events: docsOf(
      db,
      shown.map((r) => r.seq),
    ),
    ...(at ? { next: encodeSortCursor({ sort, ...at }) } : {}),
  };
}

type Windowed = { seq: number; ts: number; v: number | null };

/** Orders window rows: value in the sort's direction, rows without one last, ties newest first. */
function byValue(desc: boolean): (a: Windowed, b: Windowed) => number {
  return (a, b) => {
    if (a.v !== b.v) {
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return desc ? b.v - a.v : a.v - b.v;
    }
    return b.ts - a.ts || b.seq - a.seq;
  };
}

/** True when row `r` comes after the cursor key in the order of {@link byValue}. */
function isAfter(r: Windowed, key: SortKey, desc: boolean): boolean {
  return byValue(desc)(r, { seq: key.tie as number, ts: key.t, v: key.v as number | null }) > 0;
}

/**
 * A page sorted by a number among a window of the newest matches: at most
 * {@link SQLITE_NUMBER_SORT_WINDOW}, read newest first on the time index until the deadline (no
 * index holds the number). The window — the store's highest row number and its oldest row when the
 * first page was read — is kept in the cursor, so later pages sort the same events.
 */
function numberPage(db: Database.Database, req: SortedPageRequest, after: SortKey | undefined): PageResponse {
  const { pred, range, sort, limit } = req;
  let window = after?.window;
  const params: (string | number)[] = [...pred.params, range.from, range.to];
  let bound = '';
  if (window) {
    bound = ' AND seq <= ? AND (ts, seq) >= (?, ?)';
    params.push(window[0], window[1], window[2]);
  } else {
    bound = ' AND seq <= ?';
    params.push((db.prepare('SELECT coalesce(max(seq), 0) AS s FROM events').get() as { s: number }).s);
  }
  const it = db
    .prepare(
      `SELECT ts, seq, coalesce((${pred.sql}), 0) AS m FROM events
       WHERE ${LIVE} AND ts >= ? AND ts < ?${bound} ORDER BY ts DESC, seq DESC`,
    )
    .iterate(...params) as IterableIterator<{ ts: number; seq: number; m: number }>;
  const keys: { ts: number; seq: number }[] = [];
  let truncated = false;
  let i = 0;
  for (const r of it) {
    if (r.m) keys.push({ ts: r.ts, seq: r.seq });
    const full = keys.length >= SQLITE_NUMBER_SORT_WINDOW;
    // Later pages read exactly the first page's window; only the first stops at the clock.
    if (full || (!window && ++i % CHECK_EVERY === 0 && performance.now() > req.deadline)) {
      it.return?.();
      truncated = true;
      break;
    }
  }
  if (!window) {
    const maxSeq = params.at(-1) as number;
    const oldest = keys.at(-1);
    window = [maxSeq, oldest?.ts ?? range.from, oldest?.seq ?? 0, truncated ? 1 : 0];
  } else truncated = window[3] === 1;
  // Each window row's number, by row number (at most the window's size of lookups).
  const path = jsonPath(sort.field);
  const rows: Windowed[] = [];
  for (let k = 0; k < keys.length; k += 500) {
    const part = keys.slice(k, k + 500);
    const got = db
      .prepare(
        `SELECT seq, ts, json_extract(doc, ?) AS v FROM events WHERE seq IN (${part.map(() => '?').join(',')})`,
      )
      .all(path, ...part.map((x) => x.seq)) as { seq: number; ts: number; v: unknown }[];
    for (const r of got)
      rows.push({ seq: r.seq, ts: r.ts, v: typeof r.v === 'number' && Number.isFinite(r.v) ? r.v : null });
  }
  const desc = sort.order === 'desc';
  const ordered = rows.filter((r) => !after || isAfter(r, after, desc)).sort(byValue(desc));
  const shown = ordered.slice(0, limit);
  const last = shown.at(-1);
  return {
    events: docsOf(
      db,
      shown.map((r) => r.seq),
    ),
    ...(ordered.length > limit && last
      ? { next: encodeSortCursor({ sort, v: last.v, t: last.ts, tie: last.seq, window }) }
      : {}),
    sortWindow: { limit: SQLITE_NUMBER_SORT_WINDOW, truncated },
  };
}

/**
 * One page of a query in a field's order (`req.sort` is not a time sort: see `search/sort.ts`),
 * after the cursor `req.after`. Bounded: group sorts walk their field's index and stop at the
 * deadline; number sorts read a bounded window.
 */
export function sqliteSortedPage(db: Database.Database, req: SortedPageRequest): PageResponse {
  const key = req.after === undefined ? undefined : decodeSortCursor(req.after, req.sort);
  if (key && typeof key.tie !== 'number')
    throw new SearchRequestError('bad page cursor: not one of this store');
  return sortKind(req.sort) === 'group' ? groupPage(db, req, key) : numberPage(db, req, key);
}
