import type Database from 'better-sqlite3';
import { readerOf } from '../sinks/sqlite/reader.js';
import { DOC_COLUMNS, type DocColumns, decodeDoc } from '../sinks/sqlite/row.js';
import type { LogEvent } from '../transform/schema.js';
import { CONTEXT_WINDOW_MS, contextScope } from './context-scope.js';
import { decodePageCursor, encodePageCursor, type SortOrder } from './cursor.js';
import { SearchBackendError, SearchRequestError, SearchStoppedError } from './errors.js';
import { fillBuckets, pickInterval } from './histogram.js';
import type { ParsedQuery } from './query-ast.js';
import { type SortSpec, sortKind } from './sort.js';
import { registerAttributeFunctions, STORE_LEAVES, WALK_LEAVES } from './sqlite-attributes.js';
import {
  COUNT_BUDGET_MS,
  drivenPass,
  PAGE_BUDGET_MS,
  partialOf,
  planOf,
  type RowKey,
  WALK_AFTER_DRIVEN,
  walkPage,
  walkPass,
} from './sqlite-bounded.js';
import { answeredByRollups, type CountRow, countRows, summarize } from './sqlite-counts.js';
import { liveTerm, registerLive } from './sqlite-live.js';
import { hasNumberRollups, NUMBER_ROLLUP_SHARE, numberRollupSearch } from './sqlite-number-rollup.js';
import { expandPrefixes } from './sqlite-prefix.js';
import { buildSqliteWhere, EVENTS_TABLE_LEAVES, type SqlWhere } from './sqlite-query.js';
import { pageLeaves, searchLeaves } from './sqlite-range-plan.js';
import { sqliteSortedPage } from './sqlite-sort.js';
import { readRequestTransactions, readTrace, readTransactionServices } from './sqlite-transactions.js';
import type {
  EventContext,
  PageRequest,
  PageResponse,
  RequestTransactions,
  SearchBackend,
  SearchRequest,
  SearchResponse,
} from './types.js';

const byKeyDesc = (a: RowKey, b: RowKey): number => b.ts - a.ts || b.seq - a.seq;
const byKeyAsc = (a: RowKey, b: RowKey): number => a.ts - b.ts || a.seq - b.seq;

/** The (time, row number) key a page cursor of this store holds. */
function cursorKey(cursor: string, sort: SortOrder): RowKey {
  const key = decodePageCursor(cursor, sort);
  if (typeof key.tie !== 'number') throw new SearchRequestError('bad page cursor: not one of this store');
  return { ts: key.t, seq: key.tie };
}

function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SearchRequestError || err instanceof SearchStoppedError) throw err;
    throw new SearchBackendError(`the embedded store failed to ${what}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * The search API over the embedded store (`sinks/sqlite`). Reads through the store's own
 * connection: better-sqlite3 is synchronous, so a query runs to completion between two writes.
 */
export function createSqliteSearch(
  store: Database.Database,
  opts: {
    now?: () => number;
    /** Time budgets of counting and of a page no index answers, ms (tests set them to 0). */
    budgets?: { countMs: number; pageMs: number };
    /**
     * True once the running search was stopped: its statement then ends at its next check
     * (`sqlite-live.ts`) with a `SearchStoppedError`. The worker threads pass their stop flag.
     */
    stopped?: () => boolean;
  } = {},
): SearchBackend {
  // A store of an older layout, which a read-only reader cannot upgrade, is read as one of this layout.
  const db = readerOf(store);
  const now = opts.now ?? Date.now;
  const countBudget = opts.budgets?.countMs ?? COUNT_BUDGET_MS;
  const pageBudget = opts.budgets?.pageMs ?? PAGE_BUDGET_MS;

  registerAttributeFunctions(db);
  registerLive(db, opts.stopped);
  const live = liveTerm('seq');

  /** The events of `keys` (read by row number), in the order of `keys`. */
  function docsOf(keys: readonly RowKey[]): LogEvent[] {
    if (keys.length === 0) return [];
    const rows = db
      .prepare(`SELECT seq, ${DOC_COLUMNS} FROM events WHERE seq IN (${keys.map(() => '?').join(',')})`)
      .all(...keys.map((k) => k.seq)) as (DocColumns & { seq: number })[];
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    return keys.flatMap((k) => {
      const r = bySeq.get(k.seq);
      return r ? [decodeDoc(r)] : [];
    });
  }

  /**
   * A page from the sorted keys of its matches (`limit + 1` of them tell that a next page exists);
   * `resume` is where a walk stopped at its budget, for the cursor when the page is not full.
   */
  function pageOf(keys: readonly RowKey[], sort: SortOrder, limit: number, resume?: RowKey): PageResponse {
    const shown = keys.slice(0, limit);
    const last = shown.at(-1);
    const cursorAt = keys.length > limit ? last : resume;
    return {
      events: docsOf(shown),
      ...(cursorAt ? { next: encodePageCursor({ sort, t: cursorAt.ts, tie: cursorAt.seq }) } : {}),
    };
  }

  /**
   * One page in time order from `where`, after the cursor `after` (events with the same time are
   * ordered by `seq`, the row number: unique and fixed, so pages never overlap or skip). Reads
   * `limit + 1` keys to know whether a next page exists, then the events of the page (so a sort
   * over many matches never carries their documents).
   */
  function page(
    where: SqlWhere,
    sort: SortOrder,
    limit: number,
    opts: { after?: string; offset?: number } = {},
  ): PageResponse {
    const dir = sort === 'asc' ? 'ASC' : 'DESC';
    let sql = where.sql;
    const params: (string | number)[] = [...where.params];
    const after = opts.after === undefined ? undefined : cursorKey(opts.after, sort);
    if (after !== undefined) {
      sql += ` AND (ts, seq) ${sort === 'asc' ? '>' : '<'} (?, ?)`;
      params.push(after.ts, after.seq);
    }
    const keys = db
      .prepare(
        `SELECT ts, seq FROM events WHERE ${live} AND ${sql} ORDER BY ts ${dir}, seq ${dir} LIMIT ? OFFSET ?`,
      )
      .all(...params, limit + 1, opts.offset ?? 0) as RowKey[];
    return pageOf(keys, sort, limit);
  }

  /**
   * A page of a query: through the indexes when SQLite can answer it with them (rollup fields,
   * or a plan driven by the matches), else a walk on the time index that stops at its budget and
   * gives a cursor to continue from where it stopped.
   */
  function queryPage(req: PageRequest): PageResponse {
    const sort = req.sort ?? 'desc';
    const range = { from: req.from ?? Number.MIN_SAFE_INTEGER, to: req.to ?? Number.MAX_SAFE_INTEGER };
    // A number range with more candidates than the time range has events is checked per event.
    const leaves = pageLeaves(db, req.query.root, { ...range, now: now() }, countBudget);
    const where = buildSqliteWhere(req.query, { from: req.from, to: req.to }, { now: now(), leaves });
    const after = req.after === undefined ? undefined : cursorKey(req.after, sort);
    if (hasNumberRollups(db, req.query)) {
      // A number range often has hundreds of thousands of candidates: walking the time index
      // from the cursor finds a page of its (usually dense) matches first; when that takes a share
      // of the page budget, the candidates are read as for any indexed query.
      const plain = buildSqliteWhere(req.query, {}, { now: now(), leaves: EVENTS_TABLE_LEAVES });
      const walk = walkPage(db, plain, range, sort, after, req.limit, performance.now() + pageBudget * 0.4);
      if (walk.last === undefined) return pageOf(walk.keys, sort, req.limit);
    }
    if (answeredByRollups(req.query) || planOf(db, where) === 'driven')
      return page(where, sort, req.limit, { after: req.after });
    const pred = buildSqliteWhere(req.query, {}, { now: now(), leaves: WALK_LEAVES });
    const walk = walkPage(db, pred, range, sort, after, req.limit, performance.now() + pageBudget);
    return pageOf(walk.keys, sort, req.limit, walk.last);
  }

  /** A page sorted by a field other than time, bounded by the page budget (`sqlite-sort.ts`). */
  function fieldSortedPage(req: PageRequest, sortBy: SortSpec, after: string | undefined): PageResponse {
    return sqliteSortedPage(db, {
      pred: buildSqliteWhere(req.query, {}, { now: now(), leaves: STORE_LEAVES }),
      range: { from: req.from ?? Number.MIN_SAFE_INTEGER, to: req.to ?? Number.MAX_SAFE_INTEGER },
      sort: sortBy,
      limit: req.limit,
      after,
      deadline: performance.now() + pageBudget,
    });
  }

  return {
    kind: 'sqlite',
    async page(pageReq: PageRequest): Promise<PageResponse> {
      return guard('read a page', () => {
        const req = { ...pageReq, query: expandPrefixes(db, pageReq.query) };
        return req.sortBy && sortKind(req.sortBy) !== 'time'
          ? fieldSortedPage(req, req.sortBy, req.after)
          : queryPage({ ...req, sort: req.sortBy?.order ?? req.sort });
      });
    },
    async context(id: string, n: number): Promise<EventContext | undefined> {
      return guard('read surrounding events', () => {
        const anchor = db.prepare(`SELECT seq, ${DOC_COLUMNS} FROM events WHERE id = ?`).get(id) as
          | (DocColumns & { seq: number })
          | undefined;
        if (!anchor) return undefined;
        const event = decodeDoc(anchor);
        const scope = contextScope(event);
        // The scope's fields as terms: the log group and stream through the field index.
        const scopeQuery: ParsedQuery = {
          root: {
            kind: 'and',
            children: Object.entries(scope).map(([field, value]) => ({
              kind: 'term' as const,
              field,
              values: [value],
              prefix: false,
            })),
          },
        };
        const side = (sort: SortOrder): PageResponse => {
          const range =
            sort === 'asc'
              ? { from: anchor.ts, to: anchor.ts + CONTEXT_WINDOW_MS + 1 }
              : { from: anchor.ts - CONTEXT_WINDOW_MS, to: anchor.ts + 1 };
          const where = buildSqliteWhere(scopeQuery, range, { now: now(), leaves: STORE_LEAVES });
          const after = encodePageCursor({ sort, t: anchor.ts, tie: anchor.seq });
          return page(where, sort, n, { after });
        };
        return { event, scope, before: [...side('desc').events].reverse(), after: side('asc').events };
      });
    },
    async search(searchReq: SearchRequest): Promise<SearchResponse> {
      const started = performance.now();
      return guard('search', () => {
        // A prefix on a field with a value dictionary becomes its values (`sqlite-prefix.ts`).
        const req = { ...searchReq, query: expandPrefixes(db, searchReq.query) };
        const to = req.to ?? now();
        let from = req.from;
        if (from === undefined) {
          // The oldest match; the oldest event when the counts are bounded (never a scan).
          const w =
            answeredByRollups(req.query) || req.exact
              ? buildSqliteWhere(req.query, { to }, { now: now(), leaves: STORE_LEAVES })
              : { sql: 'ts < ?', params: [to] };
          const row = db
            .prepare(`SELECT min(ts) AS t FROM events WHERE ${live} AND ${w.sql}`)
            .get(...w.params) as { t: number | null };
          from = row.t ?? to - 15 * 60_000;
        }
        if (from >= to) throw new SearchRequestError('the time range is empty: expected from < to');
        // How the leaves are read, planned from the rollups (`sqlite-range-plan.ts`); the time it
        // takes (a time range's row numbers) counts in the counting budget.
        const planned = performance.now();
        const leaves = searchLeaves(db, req.query.root, { from, to, now: now() }, countBudget);
        const where = buildSqliteWhere(req.query, { from, to }, { now: now(), leaves });
        const sort = req.sortBy?.order ?? req.sort ?? 'desc';
        const offset = req.offset ?? 0;
        const intervalMs = pickInterval(from, to, req.buckets ?? 60);
        // A sort by another field reads its own page (see `sqlite-sort.ts`), not the time-ordered one.
        const fieldSort = req.sortBy && sortKind(req.sortBy) !== 'time' ? req.sortBy : undefined;
        let first: PageResponse | undefined;
        let rows: CountRow[];
        let countedFrom: number | undefined;
        let partial: SearchResponse['partial'];
        if (answeredByRollups(req.query) || req.exact) {
          // The first page: an index walk in time order that stops at the page; the counts from
          // the rollups (or, asked for exact counts, one pass over every match).
          if (!fieldSort) first = page(where, sort, req.limit, { offset });
          rows = countRows(db, req.query, from, to, intervalMs, now());
        } else {
          // One pass over the matches for the page and the counts, bounded by a time budget.
          const t0 = planned;
          // A number range: exact from the number rollups when it has them (`sqlite-number-rollup.ts`).
          const keep = offset + req.limit + 1;
          const declined: { declined?: string } = {};
          const byNumbers = numberRollupSearch(
            db,
            req.query,
            { from, to, intervalMs, now: now() },
            { sort, keep },
            // When it cannot finish (a bound that cuts a dense bucket), the bounded count has the rest.
            t0 + countBudget * NUMBER_ROLLUP_SHARE,
            declined,
          );
          const tried = !byNumbers && planOf(db, where) === 'driven';
          const driven = tried ? drivenPass(db, where, intervalMs, t0 + countBudget) : undefined;
          if (byNumbers) {
            rows = byNumbers.rows;
            if (!fieldSort) first = pageOf(byNumbers.keys.slice(offset), sort, req.limit);
          } else if (driven) {
            rows = driven.rows;
            const keys = [...driven.keys].sort(sort === 'asc' ? byKeyAsc : byKeyDesc);
            first = pageOf(keys.slice(offset, offset + req.limit + 1), sort, req.limit);
          } else {
            const pred = buildSqliteWhere(req.query, {}, { now: now(), leaves: WALK_LEAVES });
            // After a driven pass that ran out of time, the walk has a share of the budget more.
            const deadline = tried ? performance.now() + countBudget * WALK_AFTER_DRIVEN : t0 + countBudget;
            const walk = walkPass(db, pred, from, to, intervalMs, deadline, keep);
            rows = walk.rows;
            countedFrom = walk.countedFrom;
            // A driven pass that ran out: too many matches; otherwise SQLite had no index to use.
            // A range checked per event because it had too many candidates: too many matches too.
            if (countedFrom !== undefined)
              partial = partialOf(
                countedFrom,
                tried || leaves !== STORE_LEAVES,
                req.query,
                declined.declined,
              );
            if (sort === 'desc') {
              // The walk read the range newest first: its first matches are the page; when it
              // stopped before finding them all, the page continues where it stopped.
              const resume =
                walk.keys.length < keep && countedFrom !== undefined
                  ? { ts: countedFrom, seq: 0 }
                  : undefined;
              first = pageOf(walk.keys.slice(offset), sort, req.limit, resume);
            } else if (!fieldSort) first = queryPage({ query: req.query, from, to, limit: req.limit, sort });
          }
        }
        if (fieldSort) first = fieldSortedPage({ ...req, from, to }, fieldSort, undefined);
        const counts = summarize(rows);
        return {
          total: counts.total,
          ...(first as PageResponse),
          histogram: { from, to, intervalMs, buckets: fillBuckets(from, to, intervalMs, counts.buckets) },
          facets: { service: counts.service, level: counts.level },
          ...(partial ? { partial } : {}),
          tookMs: Math.round(performance.now() - started),
        };
      });
    },
    async trace(transactionId: string, limit = 2000) {
      return guard('read a trace', () => readTrace(db, transactionId, limit));
    },
    async requestTransactions(requestIds: readonly string[]): Promise<RequestTransactions> {
      return guard('link request ids', () => readRequestTransactions(db, requestIds));
    },
    async transactionServices(req: { from: number; to: number; maxTransactions: number }) {
      return guard('build the service map', () => readTransactionServices(db, req, pageBudget));
    },
    async tail(query: ParsedQuery, cursor: string | undefined, limit = 200) {
      return guard('tail', () => {
        if (cursor === undefined) {
          const row = db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null };
          return { events: [], cursor: String(row.s ?? 0) };
        }
        if (!/^\d{1,15}$/.test(cursor))
          throw new SearchRequestError('bad tail cursor: expected the cursor a previous tail returned');
        const where = buildSqliteWhere(query, {}, { now: now(), leaves: STORE_LEAVES });
        const rows = db
          .prepare(
            `SELECT seq, ${DOC_COLUMNS} FROM events WHERE ${live} AND seq > ? AND ${where.sql} ORDER BY seq LIMIT ?`,
          )
          .all(Number(cursor), ...where.params, limit) as (DocColumns & { seq: number })[];
        // When a filtered tail finds fewer rows than the limit, everything up to the newest row was seen.
        let next = rows.at(-1)?.seq ?? Number(cursor);
        if (rows.length < limit) {
          const max = (db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null }).s ?? 0;
          next = Math.max(next, max);
        }
        return { events: rows.map(decodeDoc), cursor: String(next) };
      });
    },
    async close() {},
  };
}
