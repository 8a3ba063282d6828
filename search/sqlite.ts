import type Database from 'better-sqlite3';
import type { LogEvent } from '../transform/schema.js';
import { SearchBackendError, SearchRequestError } from './errors.js';
import { fillBuckets, pickInterval } from './histogram.js';
import type { ParsedQuery } from './query-ast.js';
import { buildSqliteWhere } from './sqlite-query.js';
import { summarizeTrace } from './trace.js';
import type { FacetCount, SearchBackend, SearchRequest, SearchResponse } from './types.js';

const parseDoc = (doc: string): LogEvent => JSON.parse(doc) as LogEvent;

function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SearchRequestError) throw err;
    throw new SearchBackendError(`the embedded store failed to ${what}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * The search API over the embedded store (`sinks/sqlite`). Reads through the store's own
 * connection: better-sqlite3 is synchronous, so a query runs to completion between two writes.
 */
export function createSqliteSearch(db: Database.Database, opts: { now?: () => number } = {}): SearchBackend {
  const now = opts.now ?? Date.now;

  function facet(
    column: 'service' | 'level',
    where: string,
    params: readonly (string | number)[],
  ): FacetCount[] {
    return db
      .prepare(
        `SELECT ${column} AS value, count(*) AS count FROM events WHERE ${where} GROUP BY ${column} ORDER BY count DESC, value LIMIT 50`,
      )
      .all(...params) as FacetCount[];
  }

  return {
    kind: 'sqlite',
    async search(req: SearchRequest): Promise<SearchResponse> {
      const started = performance.now();
      return guard('search', () => {
        const to = req.to ?? now();
        let from = req.from;
        if (from === undefined) {
          const w = buildSqliteWhere(req.query, { to }, { now: now() });
          const row = db.prepare(`SELECT min(ts) AS t FROM events WHERE ${w.sql}`).get(...w.params) as {
            t: number | null;
          };
          from = row.t ?? to - 15 * 60_000;
        }
        if (from >= to) throw new SearchRequestError('the time range is empty: expected from < to');
        const where = buildSqliteWhere(req.query, { from, to }, { now: now() });
        const total = (
          db.prepare(`SELECT count(*) AS n FROM events WHERE ${where.sql}`).get(...where.params) as {
            n: number;
          }
        ).n;
        const rows = db
          .prepare(`SELECT doc FROM events WHERE ${where.sql} ORDER BY ts DESC, seq DESC LIMIT ? OFFSET ?`)
          .all(...where.params, req.limit, req.offset) as { doc: string }[];
        const intervalMs = pickInterval(from, to, req.buckets ?? 60);
        const hist = db
          .prepare(
            `SELECT ts - (ts % ?) AS start, count(*) AS count, sum(level_num >= 4) AS errors
             FROM events WHERE ${where.sql} GROUP BY 1`,
          )
          .all(intervalMs, ...where.params) as { start: number; count: number; errors: number }[];
        const counts = new Map(hist.map((b) => [b.start, { count: b.count, errors: b.errors }]));
        return {
          total,
          events: rows.map((r) => parseDoc(r.doc)),
          histogram: { from, to, intervalMs, buckets: fillBuckets(from, to, intervalMs, counts) },
          facets: {
            service: facet('service', where.sql, where.params),
            level: facet('level', where.sql, where.params),
          },
          tookMs: Math.round(performance.now() - started),
        };
      });
    },
    async trace(transactionId: string, limit = 2000) {
      return guard('read a trace', () => {
        const rows = db
          .prepare('SELECT doc FROM events WHERE transaction_id = ? ORDER BY ts, seq LIMIT ?')
          .all(transactionId, limit + 1) as { doc: string }[];
        const events = rows.slice(0, limit).map((r) => parseDoc(r.doc));
        return { transactionId, events, truncated: rows.length > limit, summary: summarizeTrace(events) };
      });
    },
    async tail(query: ParsedQuery, cursor: string | undefined, limit = 200) {
      return guard('tail', () => {
        if (cursor === undefined) {
          const row = db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null };
          return { events: [], cursor: String(row.s ?? 0) };
        }
        if (!/^\d{1,15}$/.test(cursor))
          throw new SearchRequestError('bad tail cursor: expected the cursor a previous tail returned');
        const where = buildSqliteWhere(query, {}, { now: now() });
        const rows = db
          .prepare(`SELECT seq, doc FROM events WHERE seq > ? AND ${where.sql} ORDER BY seq LIMIT ?`)
          .all(Number(cursor), ...where.params, limit) as { seq: number; doc: string }[];
        // When a filtered tail finds fewer rows than the limit, everything up to the newest row was seen.
        let next = rows.at(-1)?.seq ?? Number(cursor);
        if (rows.length < limit) {
          const max = (db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null }).s ?? 0;
          next = Math.max(next, max);
        }
        return { events: rows.map((r) => parseDoc(r.doc)), cursor: String(next) };
      });
    },
    async close() {},
  };
}
