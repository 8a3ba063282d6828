import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
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
import { createFieldStats, type StatsRow } from './field-stats.js';
import { prepareNewFile, prepareSchema } from './migrate.js';
import { type StoredEvent, toRow } from './row.js';
import { ROLLUPS } from './schema.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file; created with its folder when missing. `:memory:` for tests. */
  readonly path: string;
  /**
   * Where events that cannot be stored (bad shape) go, as `sink` letters with id `event.id`;
   * without one (or when it fails) they are `not_delivered`.
   */
  readonly deadLetters?: DeadLetterSink;
  /** Told about a one-time upgrade of an older store's layout (default: nowhere). */
  readonly log?: (line: string) => void;
}

/** How much disk the store takes. */
export interface StoreSize {
  /** Bytes of the database file and its write-ahead log. */
  readonly fileBytes: number;
  /** Bytes of pages in use (the file minus free pages that `compact` gives back). */
  readonly usedBytes: number;
}

/**
 * The embedded store: an SQLite database in WAL mode with FTS5 over messages, count rollups and
 * a field index (see `schema.ts`); an {@link EventSink}.
 */
export interface SqliteStore extends EventSink {
  /**
   * The open database, the writer's connection (its temporary storage is memory: `sluice start`
   * searches on read-only worker connections, `createSqliteWorkerSearch`, that spill to files).
   */
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
   * ms; `Infinity` for the oldest regardless of time), with their full-text, field index and
   * rollup entries, in one transaction; returns how many it deleted. Callers
   * loop until it returns less than `limit`, so a large backlog never holds the writer for long.
   */
  prune(beforeMs: number, limit?: number): number;
  /**
   * Gives the pages freed by `prune` back to the file system (incremental vacuum, then a WAL
   * checkpoint that truncates the file); returns the size afterwards.
   */
  compact(): StoreSize;
  /** The store's size on disk. */
  size(): StoreSize;
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
    prepareNewFile(db);
    db.pragma('journal_mode = WAL');
    // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: the pages a batch touches again and
    // again (index and full-text b-tree pages, rollups) are copied into the file ten times less
    // often. Measured paired on 250,000 events: 0.92× the CPU, 0.88× the wall time (docs/store.md).
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // The upgrade of an older layout may VACUUM: its copy goes to a temporary file.
    db.pragma('temp_store = FILE');
    prepareSchema(db, opts.log ?? (() => {}));
    // This connection only writes, prunes and compacts (searches run on their own connections,
    // which spill to files): its statement journals stay in memory. With FILE, a batch's journal
    // spills past 64 KiB to a file that every later row of the batch writes to (about 40 KB
    // written per event, half the CPU of a write; see docs/store.md).
    db.pragma('temp_store = MEMORY');
  } catch (err) {
    if (err instanceof SqliteStoreError) throw err;
    throw new SqliteStoreError(
      SQLITE_ERROR_CODES.open,
      `cannot open the embedded store at ${opts.path}: ${(err as Error).message}; expected a writable file path`,
      { cause: err },
    );
  }
  const insert = db.prepare(
    `INSERT OR IGNORE INTO events (id, ts, level, level_num, service, transaction_id, trace_id, doc, faas_execution, span_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertFts = db.prepare('INSERT INTO events_fts (rowid, message, error_text) VALUES (?, ?, ?)');
  const insertFields = db.prepare('INSERT INTO fields_fts (rowid, tokens) VALUES (?, ?)');
  const countStmt = db.prepare('SELECT count(*) AS n FROM events');
  const pruneStmt = db.prepare(
    'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE ts < ? ORDER BY ts LIMIT ?) RETURNING ts, service, level, level_num, doc',
  );
  const emptyRollups = ROLLUPS.map((r) => db.prepare(`DELETE FROM ${r.table} WHERE ts <= ? AND n <= 0`));
  const stats = createFieldStats(db);
  const countRollups = ROLLUPS.map((r) => ({
    ms: r.ms,
    upsert: db.prepare(
      `INSERT INTO ${r.table} (ts, service, level, level_num, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    ),
  }));
  const insertMany = db.transaction(
    (stored: readonly (StoredEvent | undefined)[], results: DeliveryResult[]) => {
      // The batch's rollup counts, added with one upsert per (bucket, service, level) at the end
      // (a per-row trigger costed about a tenth of a write).
      const counts = countRollups.map(() => new Map<string, [number, string, string, number, number]>());
      stored.forEach((s, i) => {
        if (!s) return;
        const { id, ts, level, level_num, service, transaction_id, trace_id, doc, faas_execution, span_id } =
          s.row;
        // Positional parameters: binding by name looks each one up in the row object.
        const r = insert.run(
          id,
          ts,
          level,
          level_num,
          service,
          transaction_id,
          trace_id,
          doc,
          faas_execution,
          span_id,
        );
        if (r.changes !== 1) {
          results[i] = 'duplicate';
          return;
        }
        const seq = Number(r.lastInsertRowid);
        if (s.message !== '' || s.errorText !== '') insertFts.run(seq, s.message, s.errorText);
        if (s.fieldTokens !== '') insertFields.run(seq, s.fieldTokens);
        countRollups.forEach(({ ms }, k) => {
          const bucket = ts - (ts % ms);
          const key = `${bucket}\u0000${service}\u0000${level}`;
          const c = counts[k]?.get(key);
          if (c) c[4]++;
          else counts[k]?.set(key, [bucket, service, level, level_num, 1]);
        });
        stats.addFacts(s.facts, s.row);
        results[i] = 'indexed';
      });
      stats.flush();
      countRollups.forEach(({ upsert }, k) => {
        for (const c of counts[k]?.values() ?? []) upsert.run(c);
      });
    },
  );
  const writeBatch = (stored: readonly (StoredEvent | undefined)[], results: DeliveryResult[]): void => {
    try {
      insertMany(stored, results);
    } catch (err) {
      stats.reset(); // the batch rolled back: so did what it counted
      throw err;
    }
  };
  const pruneTx = db.transaction((beforeMs: number, limit: number): number => {
    // Triggers remove the full-text and field index entries and count the rollups down.
    const gone = pruneStmt.all(beforeMs, limit) as (StatsRow & { doc: string })[];
    let newest = Number.NEGATIVE_INFINITY;
    for (const g of gone) {
      if (g.ts > newest) newest = g.ts;
      stats.remove(JSON.parse(g.doc), g);
    }
    stats.flush();
    if (gone.length > 0) for (const stmt of emptyRollups) stmt.run(newest);
    return gone.length;
  });
  const pruneBatch = (beforeMs: number, limit: number): number => {
    try {
      return pruneTx(beforeMs, limit);
    } catch (err) {
      stats.reset();
      throw err;
    }
  };
  const size = (): StoreSize => {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const fileBytes =
      opts.path === ':memory:'
        ? pages * pageSize
        : [opts.path, `${opts.path}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
    return { fileBytes, usedBytes: (pages - free) * pageSize };
  };
  let closed = false;

  return {
    db,
    async setup() {},
    async write(events) {
      if (closed) throw new SqliteStoreError(SQLITE_ERROR_CODES.closed, 'the embedded store is closed');
      const results: DeliveryResult[] = new Array(events.length);
      const rows: (StoredEvent | undefined)[] = new Array(events.length);
      const letters: { index: number; letter: DeadLetter }[] = [];
      const at = new Date().toISOString();
      events.forEach((event, i) => {
        const r = toRow(event);
        if (r.ok) rows[i] = r.stored;
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
      writeBatch(rows, results);
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
      return pruneBatch(Number.isFinite(beforeMs) ? Math.floor(beforeMs) : Number.MAX_SAFE_INTEGER, limit);
    },
    compact() {
      if (closed) throw new SqliteStoreError(SQLITE_ERROR_CODES.closed, 'the embedded store is closed');
      db.pragma('incremental_vacuum');
      if (opts.path !== ':memory:') db.pragma('wal_checkpoint(TRUNCATE)');
      return size();
    },
    size,
    async close() {
      if (closed) return;
      closed = true;
      if (opts.path !== ':memory:') db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
