import type Database from 'better-sqlite3';
import type { ParsedQuery } from './query-ast.js';
import type { CountRow } from './sqlite-counts.js';
import { liveTerm, untilDeadline } from './sqlite-live.js';
import { unindexedPrefix } from './sqlite-prefix.js';
import type { SqlWhere } from './sqlite-query.js';
import type { SearchResponse } from './types.js';

/**
 * Time the counts (total, histogram, facets) of a query the rollups cannot answer may take, ms.
 * Past it the counting stops at a time boundary and the answer says from when it counted
 * (`partial.countedFrom`), instead of reading millions of rows (see docs/store.md).
 */
export const COUNT_BUDGET_MS = 600;
/**
 * When an index-driven pass over the matches used all of {@link COUNT_BUDGET_MS} (hundreds of
 * thousands of matches), the walk that replaces it gets this share of the budget more. A quarter
 * (150 ms) keeps that worst case, index pass + walk + page, under a second at 10M events
 * (docs/benchmarks.md, search-scale: `attributes.amount>100` was 1.05 s p95 with a half).
 */
export const WALK_AFTER_DRIVEN = 0.25;
/** Time a page of a query no index answers may take before it returns what it found, ms. */
export const PAGE_BUDGET_MS = 400;
/**
 * How long past its deadline a driven pass that returns no rows may run before the check inside
 * SQLite ends its statement, ms: the grace keeps a pass over a few candidates that is already
 * under way (tests run with budgets of 0) from being cut by the sampled check.
 */
const HARD_STOP_AFTER_MS = 50;
/** Rows read between two looks at the clock. */
const CHECK_EVERY = 256;
/** Every statement here has the stop check first (`sqlite-live.ts`). */
const LIVE = liveTerm('seq');

/** A matching row's sort key. */
export interface RowKey {
  readonly ts: number;
  readonly seq: number;
}

/**
 * How SQLite reads the rows of `where`: `driven` when every access to `events` is a lookup by
 * row number or by a selective index (full-text, field index, ids), so the work grows with the
 * matches; `walk` when some access reads a time, service or level range or the whole table, so the
 * work grows with the events in the range. From `EXPLAIN QUERY PLAN`, so it is what SQLite will do.
 */
export function planOf(db: Database.Database, where: SqlWhere): 'driven' | 'walk' {
  const plan = db
    .prepare(`EXPLAIN QUERY PLAN SELECT ts FROM events WHERE ${LIVE} AND ${where.sql}`)
    .all(...where.params) as { detail: string }[];
  const reads = plan.map((p) => p.detail).filter((d) => /^(SCAN|SEARCH) events( |$)/.test(d));
  if (reads.length === 0) return 'walk';
  return reads.every(
    (d) => d.startsWith('SEARCH') && !/USING (COVERING )?INDEX events_(ts|service_ts|level_ts) /.test(d),
  )
    ? 'driven'
    : 'walk';
}

/** What a bounded pass found. */
export interface BoundedPass {
  /** Count rows per (bucket, service, level). */
  readonly rows: CountRow[];
  /** Keys of the matching rows read, in the order read (all of them for a complete driven pass). */
  readonly keys: RowKey[];
  /** Set when the pass stopped at the budget: the counts cover `[countedFrom, to)` only. */
  readonly countedFrom?: number;
}

type Groups = Map<string, { b: number; service: string; level: string; level_num: number; n: number }>;

function add(groups: Groups, b: number, service: string, level: string, level_num: number): void {
  const k = `${b}\u0000${service}\u0000${level}`;
  const g = groups.get(k);
  if (g) {
    g.n += 1;
    if (level_num > g.level_num) g.level_num = level_num;
  } else groups.set(k, { b, service, level, level_num, n: 1 });
}

interface Row {
  ts: number;
  seq: number;
  service: string;
  level: string;
  level_num: number;
  m?: number;
}

/**
 * Reads every match of `where` (a condition with the time range in it) through the plan SQLite
 * chose, counting per bucket, service and level, until `deadline` (a `performance.now()` time).
 * Returns undefined when the deadline came first (the matches read are not a time range).
 */
export function drivenPass(
  db: Database.Database,
  where: SqlWhere,
  intervalMs: number,
  deadline: number,
): BoundedPass | undefined {
  const groups: Groups = new Map();
  const keys: RowKey[] = [];
  let i = 0;
  let late = false;
  // Shortly past the deadline the statement also ends inside SQLite (`untilDeadline`): a pass that
  // reads many candidates for each match it returns (a dense index term checked against a rare
  // one, a long list of candidates read before the first row) would otherwise run on for seconds.
  const finished = untilDeadline(db, deadline + HARD_STOP_AFTER_MS, () => {
    const it = db
      .prepare(`SELECT ts, seq, service, level, level_num FROM events WHERE ${LIVE} AND ${where.sql}`)
      .iterate(...where.params) as IterableIterator<Row>;
    for (const r of it) {
      if (++i % CHECK_EVERY === 0 && performance.now() > deadline) {
        it.return?.();
        late = true;
        return;
      }
      add(groups, r.ts - (r.ts % intervalMs), r.service, r.level, r.level_num);
      keys.push({ ts: r.ts, seq: r.seq });
    }
  });
  return finished && !late ? { rows: [...groups.values()], keys } : undefined;
}

/**
 * Walks `[from, to)` newest first on the time index, testing `pred` (a condition without the time
 * range) on each event and counting the matches per bucket, service and level, until `deadline`.
 * It stops only between two timestamps, so when it stops early the counts are exact for
 * `[countedFrom, to)`. Keeps the keys of the first `keep` matches (the newest page).
 */
export function walkPass(
  db: Database.Database,
  pred: SqlWhere,
  from: number,
  to: number,
  intervalMs: number,
  deadline: number,
  keep: number,
): BoundedPass {
  const groups: Groups = new Map();
  const keys: RowKey[] = [];
  let i = 0;
  let stopAfter: number | undefined;
  let countedFrom: number | undefined;
  const it = db
    .prepare(
      `SELECT ts, seq, service, level, level_num, coalesce((${pred.sql}), 0) AS m FROM events
       WHERE ${LIVE} AND ts >= ? AND ts < ? ORDER BY ts DESC, seq DESC`,
    )
    .iterate(...pred.params, from, to) as IterableIterator<Row>;
  for (const r of it) {
    if (stopAfter !== undefined && r.ts < stopAfter) {
      countedFrom = stopAfter;
      it.return?.();
      break;
    }
    if (stopAfter === undefined && ++i % CHECK_EVERY === 0 && performance.now() > deadline) stopAfter = r.ts;
    if (!r.m) continue;
    add(groups, r.ts - (r.ts % intervalMs), r.service, r.level, r.level_num);
    if (keys.length < keep) keys.push({ ts: r.ts, seq: r.seq });
  }
  return { rows: [...groups.values()], keys, ...(countedFrom !== undefined ? { countedFrom } : {}) };
}

/**
 * Walks from the cursor position in `sort` order on the time index, testing `pred` on each event,
 * until `limit + 1` matches or `deadline`. `last` is the key of the last row read when it stopped
 * at the deadline (a page cursor continues from there), undefined when it reached the range's end
 * or found its rows.
 */
export function walkPage(
  db: Database.Database,
  pred: SqlWhere,
  range: { from: number; to: number },
  sort: 'asc' | 'desc',
  after: RowKey | undefined,
  limit: number,
  deadline: number,
): { keys: RowKey[]; last?: RowKey } {
  const dir = sort === 'asc' ? 'ASC' : 'DESC';
  const params: (string | number)[] = [...pred.params, range.from, range.to];
  let cursor = '';
  if (after) {
    cursor = ` AND (ts, seq) ${sort === 'asc' ? '>' : '<'} (?, ?)`;
    params.push(after.ts, after.seq);
  }
  const it = db
    .prepare(
      `SELECT ts, seq, coalesce((${pred.sql}), 0) AS m FROM events
       WHERE ${LIVE} AND ts >= ? AND ts < ?${cursor} ORDER BY ts ${dir}, seq ${dir}`,
    )
    .iterate(...params) as IterableIterator<Row>;
  const keys: RowKey[] = [];
  let i = 0;
  for (const r of it) {
    if (r.m) keys.push({ ts: r.ts, seq: r.seq });
    if (keys.length > limit) {
      it.return?.();
      return { keys };
    }
    if (++i % CHECK_EVERY === 0 && performance.now() > deadline) {
      it.return?.();
      return { keys, last: { ts: r.ts, seq: r.seq } };
    }
  }
  return { keys };
}

/**
 * The `partial` of an answer whose walk stopped at `countedFrom`. `afterDriven`: an index pass over
 * the matches ran out of time first, so there were too many matches to count (`budget`); otherwise
 * SQLite's plan had no index for the query (`no-index`), naming the part that has none when it is a
 * prefix no value dictionary answers (`query` after `expandPrefixes`). `numberRollup`: why the
 * number rollups declined the query's number range (`numberRollupSearch`), when they did.
 */
export function partialOf(
  countedFrom: number,
  afterDriven: boolean,
  query: ParsedQuery,
  numberRollup: string | undefined,
): NonNullable<SearchResponse['partial']> {
  const why = numberRollup ? { numberRollup } : {};
  if (afterDriven) return { countedFrom, reason: 'budget', ...why };
  const unindexed = unindexedPrefix(query);
  return { countedFrom, reason: 'no-index', ...(unindexed ? { unindexed } : {}), ...why };
}
