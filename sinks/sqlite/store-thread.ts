import { type ResourceLimits, Worker } from 'node:worker_threads';
import { tsWorkerCode } from '../../core/ts-worker.js';
import type { LogEvent } from '../../transform/schema.js';
import {
  countDeliveries,
  type DeadLetterSink,
  type DeliveryReport,
  type DeliveryResult,
  type EventSink,
} from '../contract.js';
import { SQLITE_ERROR_CODES, SqliteStoreError } from './errors.js';
import type { StoreSize } from './store.js';
import type { StoreCall, StoreOp, StoreReply, WireError, WriteAnswer } from './store-thread-protocol.js';

/** Options of {@link openSqliteStoreThread}. */
export interface SqliteStoreThreadOptions {
  /** Database file; created with its folder when missing. */
  readonly path: string;
  /**
   * Where events that cannot be stored (bad shape) go, as `sink` letters with id `event.id`, put
   * from the caller's thread; without one (or when it fails) they are `not_delivered`.
   */
  readonly deadLetters?: DeadLetterSink;
  /** Told about a one-time upgrade of an older store's layout (default: nowhere). */
  readonly log?: (line: string) => void;
  /**
   * Calls posted to the writer thread and not answered yet, beyond which the next ones wait on the
   * caller's side (default {@link STORE_CALLS_IN_FLIGHT}): the batches in memory stay bounded.
   */
  readonly inFlight?: number;
  /** Heap limits of the writer thread (Node's `resourceLimits`); past them it fails like a crash. */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * Calls the writer thread may hold at once: one being applied, the next one ready, so the thread
 * never waits for the caller between two batches.
 */
export const STORE_CALLS_IN_FLIGHT = 2;

/**
 * The embedded store with its writes on a writer thread: the same tables and behaviour as
 * `openSqliteStore` (which runs in that thread), every call answered asynchronously.
 */
export interface SqliteStoreThread extends EventSink {
  /**
   * Stores a batch in one transaction on the writer thread, idempotently by `event.id`; resolves
   * once that transaction committed. Calls are applied in the order they were made. Rejects with
   * `SQLITE_STORE_WRITER_LOST` when the thread ended before answering (the batch may or may not
   * have committed: write it again, its stored events come back `duplicate`).
   */
  write(events: readonly LogEvent[]): Promise<DeliveryReport>;
  /** Number of stored events. */
  count(): Promise<number>;
  /** `SqliteStore.prune` on the writer thread, in order with the writes. */
  prune(beforeMs: number, limit?: number): Promise<number>;
  /** `SqliteStore.compact` on the writer thread, in order with the writes. */
  compact(): Promise<StoreSize>;
  /** The store's size on disk. */
  size(): Promise<StoreSize>;
  /** Applies every call made before it, checkpoints the WAL, closes the database and ends the thread. Idempotent. */
  close(): Promise<void>;
  /**
   * Ends the writer thread at once: the batch being written rolls back, every call not answered
   * yet rejects with `SQLITE_STORE_WRITER_LOST`. The next call starts a new writer thread.
   */
  terminate(): Promise<void>;
}

interface Pending {
  readonly call: StoreCall;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}
interface Writer {
  readonly worker: Worker;
  /** Settles once the store is open in the thread. */
  readonly ready: Promise<void>;
  /** Resolves once the thread ended. */
  readonly exited: Promise<void>;
  /** Why the thread is being ended, when the caller ends it. */
  why?: string;
}

/** An error the writer thread answered: the store's own, or SQLite's (the call rolled back). */
const revive = (e: WireError): SqliteStoreError =>
  e.code?.startsWith('SQLITE_STORE_')
    ? new SqliteStoreError(e.code, e.message)
    : new SqliteStoreError(
        SQLITE_ERROR_CODES.writeFailed,
        `the embedded store's writer failed (${e.code ?? 'error'}: ${e.message}); the call rolled back`,
      );

/**
 * Opens (creating when needed, upgrading an older layout) the embedded store at `opts.path` in a
 * new writer thread; resolves once it is open. The caller's thread is never held by SQLite: not
 * by a batch's transaction, nor by a prune, a compaction, the closing checkpoint or an upgrade
 * that takes minutes (its `log` lines still reach the caller).
 */
export async function openSqliteStoreThread(opts: SqliteStoreThreadOptions): Promise<SqliteStoreThread> {
  const code = tsWorkerCode(new URL('./store-thread-worker.ts', import.meta.url));
  const limit = Math.max(1, opts.inFlight ?? STORE_CALLS_IN_FLIGHT);
  const posted = new Map<number, Pending>();
  const waiting: Pending[] = [];
  let nextId = 1;
  let writer: Writer | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  /** Every call not answered fails: the thread that held them is gone. */
  function lose(w: Writer, why: string, cause?: unknown): void {
    if (writer !== w) return;
    writer = undefined;
    const err = new SqliteStoreError(
      SQLITE_ERROR_CODES.writerLost,
      `the embedded store's writer thread ended (${why}) before confirming the call; a batch it held may or may not have committed: write it again (events already stored come back as duplicates)`,
      { cause },
    );
    const lost = [...posted.values()];
    posted.clear();
    for (const p of lost) p.reject(err);
  }

  function start(): Writer {
    const worker = new Worker(code, {
      eval: true,
      workerData: { path: opts.path },
      resourceLimits: opts.resourceLimits,
    });
    let opened: { resolve(): void; reject(err: unknown): void } | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      opened = { resolve, reject };
    });
    ready.catch(() => {});
    let ended: () => void = () => {};
    const exited = new Promise<void>((resolve) => {
      ended = resolve;
    });
    const w: Writer = { worker, ready, exited };
    worker.on('message', (m: StoreReply) => {
      if ('log' in m) opts.log?.(m.log);
      else if ('ready' in m) opened?.resolve();
      else if ('failed' in m) opened?.reject(revive(m.failed));
      else answer(m);
    });
    worker.on('error', (err) => {
      opened?.reject(err);
      lose(w, `it failed: ${err.message}`, err);
      pump();
    });
    worker.on('exit', (exitCode) => {
      const why = w.why ?? `exit code ${exitCode}`;
      opened?.reject(new SqliteStoreError(SQLITE_ERROR_CODES.writerLost, `the writer thread ended (${why})`));
      ended();
      lose(w, why);
      pump();
    });
    return w;
  }

  function answer(m: Extract<StoreReply, { id: number }>): void {
    const p = posted.get(m.id);
    if (!p) return;
    posted.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(revive(m.error));
    // Idle: the thread does not keep the process alive (closing: it does, until it ended).
    if (posted.size === 0 && !closed) writer?.worker.unref();
    pump();
  }

  /** Posts waiting calls, in order, while fewer than `limit` are unanswered. */
  function pump(): void {
    while (waiting.length > 0 && posted.size < limit) {
      const p = waiting.shift() as Pending;
      writer ??= start();
      const w = writer;
      posted.set(p.call.id, p);
      w.worker.ref(); // an unanswered call keeps the process alive
      w.ready.then(
        () => {
          if (writer === w && posted.has(p.call.id)) w.worker.postMessage(p.call);
        },
        (err: unknown) => {
          if (!posted.delete(p.call.id)) return;
          p.reject(err);
          pump();
        },
      );
    }
  }

  function call<T>(c: StoreOp): Promise<T> {
    if (closed && c.op !== 'close')
      return Promise.reject(new SqliteStoreError(SQLITE_ERROR_CODES.closed, 'the embedded store is closed'));
    return new Promise<T>((resolve, reject) => {
      waiting.push({
        call: { ...c, id: nextId++ } as StoreCall,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      pump();
    });
  }

  writer = start();
  try {
    await writer.ready;
  } catch (err) {
    await writer?.worker.terminate();
    throw err;
  }
  writer.worker.unref();

  return {
    async write(events) {
      if (events.length === 0) return { results: [], counts: countDeliveries([]) };
      const a = await call<WriteAnswer>({ op: 'write', events });
      const results: DeliveryResult[] = [...a.results];
      if (a.letters.length > 0) {
        // The thread counted its letters `dead_lettered`; they are once the letter store has them.
        const lettered = results.flatMap((r, i) => (r === 'dead_lettered' ? [i] : []));
        let put = false;
        if (opts.deadLetters) {
          try {
            await opts.deadLetters.put(a.letters);
            put = true;
          } catch {
            // The letter store failed: those events stay `not_delivered`, for the caller to retry.
          }
        }
        if (!put) for (const i of lettered) results[i] = 'not_delivered';
      }
      return { results, counts: countDeliveries(results) };
    },
    count: () => call<number>({ op: 'count' }),
    prune: (beforeMs, pruneLimit) => call<number>({ op: 'prune', beforeMs, limit: pruneLimit }),
    compact: () => call<StoreSize>({ op: 'compact' }),
    size: () => call<StoreSize>({ op: 'size' }),
    close() {
      closing ??= (async () => {
        closed = true;
        const w = writer;
        if (!w) return;
        await call<void>({ op: 'close' });
        await w.exited;
      })();
      return closing;
    },
    async terminate() {
      const w = writer;
      if (!w) return;
      w.why = 'terminated';
      await w.worker.terminate();
      await w.exited;
    },
  };
}
