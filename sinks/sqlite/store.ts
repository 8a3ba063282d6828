import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { LogEvent } from '../../transform/schema.js';
import {
  countDeliveries,
  type DeadLetterSink,
  type DeliveryReport,
  type DeliveryResult,
  type EventSink,
} from '../contract.js';
import type { DeadLetter } from '../dead-letters/types.js';
import { SQLITE_ERROR_CODES, SqliteStoreError } from './errors.js';
import { type EventRow, toRow } from './row.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file; created with its folder when missing. `:memory:` for tests. */
  readonly path: string;
  /**
   * Where events that cannot be stored (bad shape) go, as `sink` letters with id `event.id`;
   * without one (or when it fails) they are `not_delivered`.
   */
  readonly deadLetters?: DeadLetterSink;
}

/** The embedded store: an SQLite database in WAL mode with FTS5 over messages; an {@link EventSink}. */
export interface SqliteStore extends EventSink {
  /** The open database (the search API reads through it). */
  readonly db: Database.Database;
  /** Prepares the tables; idempotent. */
  setup(): Promise<void>;
  /**
   * Stores a batch in one transaction, idempotently by `event.id` (a second write of the same
   * id is a `duplicate`, not an error). A malformed event is dead-lettered without failing the batch.
   */
  write(events: readonly LogEvent[]): Promise<DeliveryReport>;
  /** Number of stored events. */
  count(): number;
  /**
   * Deletes at most `limit` of the oldest events whose `@timestamp` is before `beforeMs` (epoch
   * ms), with their full-text entries, in one transaction; returns how many it deleted. Callers
   * loop until it returns less than `limit`, so a large backlog never holds the writer for long.
   */
  prune(beforeMs: number, limit?: number): number;
  /** Checkpoints the WAL and closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Opens (creating when needed) the embedded store at `opts.path`. */
export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  let db: Database.Database;
  try {
    if (opts.path !== ':memory:') {
      mkdirSync(dirname(opts.path), { recursive: true, mode: 0o700 });
      // Owner-only: SQLite gives the -wal and -shm files the mode of the database file.
      closeSync(openSync(opts.path, 'a', 0o600));
      chmodSync(opts.path, 0o600);
    }
    db = new Database(opts.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    db.exec(SCHEMA_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  } catch (err) {
    throw new SqliteStoreError(
      SQLITE_ERROR_CODES.open,
      `cannot open the embedded store at ${opts.path}: ${(err as Error).message}; expected a writable file path`,
      { cause: err },
    );
  }
  const insert = db.prepare<EventRow>(
    `INSERT OR IGNORE INTO events (id, ts, level, level_num, service, transaction_id, trace_id, message, error_text, doc)
     VALUES (@id, @ts, @level, @level_num, @service, @transaction_id, @trace_id, @message, @error_text, @doc)`,
  );
  const countStmt = db.prepare('SELECT count(*) AS n FROM events');
  const pruneStmt = db.prepare(
    'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE ts < ? ORDER BY ts LIMIT ?)',
  );
  const insertMany = db.transaction((rows: readonly (EventRow | undefined)[], results: DeliveryResult[]) => {
    rows.forEach((row, i) => {
      if (!row) return;
      results[i] = insert.run(row).changes === 1 ? 'indexed' : 'duplicate';
    });
  });
  let closed = false;

  return {
    db,
    async setup() {},
    async write(events) {
      if (closed) throw new SqliteStoreError(SQLITE_ERROR_CODES.closed, 'the embedded store is closed');
      const results: DeliveryResult[] = new Array(events.length);
      const rows: (EventRow | undefined)[] = new Array(events.length);
      const letters: { index: number; letter: DeadLetter }[] = [];
      const at = new Date().toISOString();
      events.forEach((event, i) => {
        const r = toRow(event);
        if (r.ok) rows[i] = r.row;
        else {
          results[i] = 'not_delivered';
          letters.push({
            index: i,
            letter: {
              id: event.event?.id ?? 'unknown',
              at,
              stage: 'sink',
              error: { code: SQLITE_ERROR_CODES.badEvent, message: r.reason },
              original: event,
            },
          });
        }
      });
      insertMany(rows, results);
      if (letters.length > 0 && opts.deadLetters) {
        try {
          await opts.deadLetters.put(letters.map((l) => l.letter));
          for (const l of letters) results[l.index] = 'dead_lettered';
        } catch {
          // The letter store failed: those events stay `not_delivered`, for the caller to retry.
        }
      }
      return { results, counts: countDeliveries(results) };
    },
    count() {
      return (countStmt.get() as { n: number }).n;
    },
    prune(beforeMs, limit = 5000) {
      if (closed) throw new SqliteStoreError(SQLITE_ERROR_CODES.closed, 'the embedded store is closed');
      return pruneStmt.run(Math.floor(beforeMs), limit).changes;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (opts.path !== ':memory:') db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
