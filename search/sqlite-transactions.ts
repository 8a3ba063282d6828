import type Database from 'better-sqlite3';
import { DOC_COLUMNS, type DocColumns, decodeDoc } from '../sinks/sqlite/row.js';
import type { TransactionServiceRow } from './service-map.js';
import { liveTerm, untilDeadline } from './sqlite-live.js';
import { assembleTrace, requestIdsOf } from './trace.js';
import type { RequestTransactions, TraceResponse } from './types.js';

/**
 * The embedded store's transaction reads (a trace with its linked platform lines, request id →
 * transaction links, the service map's rows), for `createSqliteSearch`.
 */

/**
 * The Lambda request id: the store's `faas_execution` column (`LINK_COLUMNS` in
 * `sinks/sqlite/schema.ts`), whose partial index answers lookups by request id.
 */
const REQUEST_ID = 'faas_execution';

/** {@link REQUEST_ID} of the table aliased `l`. */
const LINKED_REQUEST_ID = 'l.faas_execution';

/** The stop check (`sqlite-live.ts`) of a statement that may read many rows, on `events` or `l`. */
const LIVE = liveTerm('seq');
const LINKED_LIVE = liveTerm('l.seq');

/** A transaction's events (at most `limit`) and the lines linked to it through its request ids. */
export function readTrace(db: Database.Database, transactionId: string, limit: number): TraceResponse {
  const rows = db
    .prepare(
      `SELECT ${DOC_COLUMNS} FROM events WHERE ${LIVE} AND transaction_id = ? ORDER BY ts, seq LIMIT ?`,
    )
    .all(transactionId, limit + 1) as DocColumns[];
  const own = rows.slice(0, limit).map(decodeDoc);
  const ids = requestIdsOf(own);
  const linked =
    ids.length === 0
      ? []
      : (db
          .prepare(
            `SELECT ${DOC_COLUMNS} FROM events WHERE ${LIVE} AND ${REQUEST_ID} IN (${ids.map(() => '?').join(',')}) AND transaction_id IS NULL ORDER BY ts, seq LIMIT ?`,
          )
          .all(...ids, limit + 1) as DocColumns[]);
  return assembleTrace({
    transactionId,
    own,
    ownTruncated: rows.length > limit,
    linked: linked.slice(0, limit).map(decodeDoc),
    linkedTruncated: linked.length > limit,
  });
}

/** The transactions (at most two each) of up to 1,000 request ids. */
export function readRequestTransactions(
  db: Database.Database,
  requestIds: readonly string[],
): RequestTransactions {
  const ids = [...new Set(requestIds)].slice(0, 1000);
  if (ids.length === 0) return {};
  const rows = db
    .prepare(
      `SELECT DISTINCT ${REQUEST_ID} AS r, transaction_id AS t FROM events
         WHERE ${LIVE} AND ${REQUEST_ID} IN (${ids.map(() => '?').join(',')}) AND transaction_id IS NOT NULL
         ORDER BY 1, 2`,
    )
    .all(...ids) as { r: string; t: string }[];
  const out: Record<string, string[]> = Object.create(null);
  for (const { r, t } of rows) {
    const list = out[r] ?? [];
    if (list.length < 2 && !list.includes(t)) list.push(t);
    out[r] = list;
  }
  return out;
}

/**
 * The transaction ids of the newest rows of `[from, to)` that carry one (at most `want`), read
 * newest first on the time index until `deadline` (a `performance.now()` time; the stop check
 * ends the statement then, so a range where few events carry a transaction id is walked only as
 * far as the deadline allows, not to its start). `complete` when the walk reached the range's start.
 */
function newestTransactionIds(
  db: Database.Database,
  range: { from: number; to: number },
  want: number,
  deadline: number,
): { ids: string[]; complete: boolean } {
  const ids: string[] = [];
  const finished = untilDeadline(db, deadline, () => {
    const it = db
      .prepare(
        `SELECT transaction_id AS t FROM events
           WHERE ${LIVE} AND ts >= ? AND ts < ? AND transaction_id IS NOT NULL ORDER BY ts DESC LIMIT ?`,
      )
      .iterate(range.from, range.to, want) as IterableIterator<{ t: string }>;
    for (const r of it) ids.push(r.t);
  });
  return { ids, complete: finished && ids.length < want };
}

/**
 * The service map's rows: the services of the range's newest transactions (those found within
 * `budgetMs` of walking the range newest first), and their linked errors. `sampled` when they are
 * not all the range's transactions.
 */
export function readTransactionServices(
  db: Database.Database,
  req: { from: number; to: number; maxTransactions: number },
  budgetMs: number,
): { rows: TransactionServiceRow[]; sampled: boolean } {
  // The newest transactions of the range, from the newest rows (time index), then each one's
  // services through the transaction index.
  const found = newestTransactionIds(db, req, req.maxTransactions * 20, performance.now() + budgetMs);
  const distinct = [...new Set(found.ids)];
  const chosen = distinct.slice(0, req.maxTransactions);
  const sampled = distinct.length > req.maxTransactions || !found.complete;
  const rows: TransactionServiceRow[] = [];
  for (let i = 0; i < chosen.length; i += 500) {
    const part = chosen.slice(i, i + 500);
    rows.push(
      ...(db
        .prepare(
          `SELECT transaction_id AS transactionId, service, min(ts) AS first, max(ts) AS last,
               count(*) AS events, sum(level_num >= 4) AS errors
             FROM events WHERE ${LIVE} AND transaction_id IN (${part.map(() => '?').join(',')})
             GROUP BY transaction_id, service`,
        )
        .all(...part) as TransactionServiceRow[]),
      // Error lines without a transaction id that share a request id with the transaction
      // (`Task timed out`, runtime errors, REPORT with a failed status): through the
      // transaction index, then the request id index.
      ...(
        db
          .prepare(
            `SELECT t.transaction_id AS transactionId, l.service AS service, min(l.ts) AS first,
               max(l.ts) AS last, count(*) AS events, count(*) AS errors
             FROM (SELECT DISTINCT transaction_id, ${REQUEST_ID} AS r FROM events
                   WHERE ${LIVE} AND transaction_id IN (${part.map(() => '?').join(',')}) AND ${REQUEST_ID} IS NOT NULL) AS t
             JOIN events AS l ON ${LINKED_REQUEST_ID} = t.r
             WHERE ${LINKED_LIVE} AND l.transaction_id IS NULL AND l.level_num >= 4
             GROUP BY t.transaction_id, l.service`,
          )
          .all(...part) as TransactionServiceRow[]
      ).map((r) => ({ ...r, linked: true })),
    );
  }
  return { rows, sampled };
}
