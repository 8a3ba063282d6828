import { Worker } from 'node:worker_threads';
import { tsWorkerCode } from '../core/ts-worker.js';
import {
  QuerySyntaxError,
  SEARCH_ERROR_CODES,
  SearchBackendError,
  SearchBusyError,
  SearchRequestError,
  SearchStoppedError,
} from './errors.js';
import type { ParsedQuery } from './query-ast.js';
import type { TransactionServiceRow } from './service-map.js';
import type {
  EventContext,
  PageRequest,
  PageResponse,
  RequestTransactions,
  SearchBackend,
  SearchRequest,
  SearchResponse,
  TailResponse,
  TraceResponse,
} from './types.js';

/** Options of {@link createSqliteWorkerSearch}. */
export interface WorkerSearchOptions {
  /** The store's database file (opened read-only by each worker). */
  readonly path: string;
  /** Worker threads, each running one query at a time (default 2). */
  readonly workers?: number;
  /** Time one query may run before it is stopped (default 15 s). */
  readonly timeoutMs?: number;
  /** Queries waiting for a worker beyond which new ones are refused (default 32). */
  readonly maxWaiting?: number;
}

/**
 * A stopped query's worker has this long to end it (it does within a few ms: see
 * `sqlite-live.ts`) before the worker is terminated and replaced.
 */
export const STOP_GRACE_MS = 1000;

/** The worker-backed search, and what became of the queries it stopped. */
export interface WorkerSearch extends SearchBackend {
  /** Running queries stopped (time budget or cancellation). */
  stopped(): number;
  /** Stopped queries whose statement ended at a stop check: their worker went on to the next query. */
  interrupted(): number;
  /** Workers replaced because a stopped query had not ended within {@link STOP_GRACE_MS}. */
  replaced(): number;
}

type Op = 'search' | 'page' | 'context' | 'trace' | 'tail' | 'requestTransactions' | 'transactionServices';
interface Job {
  readonly op: Op;
  readonly args: unknown[];
  readonly signal?: AbortSignal;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}
interface Slot {
  worker?: Worker;
  ready: Promise<void>;
  /** Shared with the worker: the id of the query to stop (`sqlite-worker-thread.ts`). */
  stop: Int32Array;
  /** The query running; `posted` once the worker has it. */
  job?: Job & { id: number; timer?: NodeJS.Timeout; onAbort?: () => void; posted?: boolean };
  /** A stopped query the worker is still ending: the slot takes no other until the worker answers. */
  ending?: { id: number; timer: NodeJS.Timeout };
}
interface WireError {
  name: string;
  code?: string;
  message: string;
  query?: ReturnType<QuerySyntaxError['toJSON']>;
}

function revive(e: WireError): Error {
  if (e.code === SEARCH_ERROR_CODES.querySyntax && e.query) return QuerySyntaxError.fromJSON(e.query);
  if (e.code === SEARCH_ERROR_CODES.badRequest) return new SearchRequestError(e.message);
  return new SearchBackendError(e.message);
}

/**
 * The search API over the embedded store, answered by worker threads that open the database
 * read-only (SQLite WAL lets them read while the pipeline writes), so a slow query never holds up
 * ingest or the UI. Each query has a time budget; past it, or when its caller's signal aborts
 * (the HTTP client went away), the query is stopped: its worker is told through a shared cell,
 * its statement ends at its next stop check inside SQLite (`sqlite-live.ts`), and the worker —
 * its connection and page cache kept — takes the next query. One that has not ended within
 * {@link STOP_GRACE_MS} has its worker terminated and replaced. Closing stops the running queries
 * the same way.
 */
export function createSqliteWorkerSearch(opts: WorkerSearchOptions): WorkerSearch {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxWaiting = opts.maxWaiting ?? 32;
  const code = tsWorkerCode(new URL('./sqlite-worker-thread.ts', import.meta.url));
  const waiting: Job[] = [];
  let nextId = 1;
  let closed = false;
  let stoppedCount = 0;
  let interruptedCount = 0;
  let replacedCount = 0;

  /** Starts a worker in `slot` (stopping the one it had, and the query that one ran). */
  function start(slot: Slot): void {
    if (slot.worker) void slot.worker.terminate();
    const stop = new SharedArrayBuffer(4);
    slot.stop = new Int32Array(stop);
    const worker = new Worker(code, { eval: true, workerData: { path: opts.path, stop } });
    worker.unref();
    slot.worker = worker;
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on(
        'message',
        (m: {
          ready?: boolean;
          id?: number;
          ok?: boolean;
          interrupted?: boolean;
          value?: unknown;
          error?: WireError;
        }) => {
          if (m.ready) return resolve();
          if (slot.worker !== worker) return;
          if (slot.ending !== undefined && m.id === slot.ending.id) {
            // The stopped query ended (its caller already has its error): the worker is free.
            clearTimeout(slot.ending.timer);
            slot.ending = undefined;
            if (m.interrupted) interruptedCount += 1;
            return pump();
          }
          const job = slot.job;
          if (m.id === undefined || job === undefined || m.id !== job.id) return;
          finish(slot);
          if (m.ok) job.resolve(m.value);
          else job.reject(revive(m.error as WireError));
          pump();
        },
      );
      worker.on('error', (err) => {
        reject(err);
        if (slot.worker !== worker) return;
        const job = slot.job;
        finish(slot);
        clearTimeout(slot.ending?.timer);
        slot.ending = undefined;
        job?.reject(new SearchBackendError(`the search worker failed: ${err.message}`, { cause: err }));
        if (!closed) start(slot);
        pump();
      });
    });
    slot.ready.catch(() => {});
  }

  const slots: Slot[] = Array.from({ length: Math.max(1, opts.workers ?? 2) }, () => {
    const slot = {} as Slot;
    start(slot);
    return slot;
  });

  function finish(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    slot.job = undefined;
  }

  /** Stops the query running in `slot` and rejects it with `err`. */
  function stop(slot: Slot, err: Error): void {
    stoppedCount += 1;
    const job = slot.job;
    finish(slot);
    job?.reject(err);
    if (job?.posted) halt(slot, job.id);
    pump();
  }

  /**
   * Tells the worker of `slot` to end query `id`; the slot waits for its answer, and replaces the
   * worker when none comes within the grace time.
   */
  function halt(slot: Slot, id: number): void {
    Atomics.store(slot.stop, 0, id);
    const timer = setTimeout(() => {
      if (slot.ending?.id !== id) return;
      slot.ending = undefined;
      replacedCount += 1;
      if (!closed) start(slot);
      pump();
    }, STOP_GRACE_MS);
    timer.unref();
    slot.ending = { id, timer };
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.job || slot.ending || waiting.length === 0) continue;
      const job = waiting.shift() as Job;
      if (job.signal?.aborted) {
        job.reject(new SearchStoppedError(SEARCH_ERROR_CODES.cancelled, 'the search was cancelled'));
        continue;
      }
      const id = nextId++;
      const onAbort = job.signal
        ? () => stop(slot, new SearchStoppedError(SEARCH_ERROR_CODES.cancelled, 'the search was cancelled'))
        : undefined;
      if (onAbort) job.signal?.addEventListener('abort', onAbort, { once: true });
      slot.job = { ...job, id, onAbort };
      void slot.ready.then(
        () => {
          const current = slot.job;
          if (current?.id !== id) return;
          // The budget counts from when the query reaches its worker (not the worker's start-up).
          current.timer = setTimeout(
            () =>
              stop(
                slot,
                new SearchStoppedError(
                  SEARCH_ERROR_CODES.timeout,
                  `the query ran past its ${timeoutMs} ms budget and was stopped: narrow the time range or the query`,
                ),
              ),
            timeoutMs,
          );
          current.posted = true;
          slot.worker?.postMessage({ id, op: job.op, args: job.args });
        },
        (err: unknown) => {
          if (slot.job?.id !== id) return;
          finish(slot);
          job.reject(new SearchBackendError(`the search worker did not start: ${(err as Error).message}`));
          pump();
        },
      );
    }
  }

  function run<T>(op: Op, args: unknown[], signal?: AbortSignal): Promise<T> {
    if (closed) return Promise.reject(new SearchBackendError('the search is closed'));
    if (waiting.length >= maxWaiting && slots.every((s) => s.job))
      return Promise.reject(new SearchBusyError(`${maxWaiting} searches are already waiting: retry shortly`));
    return new Promise<T>((resolve, reject) => {
      waiting.push({ op, args, signal, resolve: resolve as (v: unknown) => void, reject });
      pump();
    });
  }

  const bound = (signal?: AbortSignal): WorkerSearch => ({
    stopped: () => stoppedCount,
    interrupted: () => interruptedCount,
    replaced: () => replacedCount,
    kind: 'sqlite',
    search: (req: SearchRequest) => run<SearchResponse>('search', [req], signal),
    page: (req: PageRequest) => run<PageResponse>('page', [req], signal),
    context: (id: string, n: number) => run<EventContext | undefined>('context', [id, n], signal),
    trace: (id: string, limit?: number) => run<TraceResponse>('trace', [id, limit], signal),
    tail: (query: ParsedQuery, cursor: string | undefined, limit?: number) =>
      run<TailResponse>('tail', [query, cursor, limit], signal),
    requestTransactions: (ids: readonly string[]) =>
      run<RequestTransactions>('requestTransactions', [ids], signal),
    transactionServices: (req: { from: number; to: number; maxTransactions: number }) =>
      run<{ rows: TransactionServiceRow[]; sampled: boolean }>('transactionServices', [req], signal),
    withSignal: (s: AbortSignal) => bound(s),
    async close() {
      if (closed) return;
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new SearchBackendError('the search is closed'));
      await Promise.all(
        slots.map(async (slot) => {
          const job = slot.job;
          finish(slot);
          job?.reject(new SearchBackendError('the search is closed'));
          // The running query ends at its next stop check; the thread ends with it (a statement
          // terminated between two checks ends at its next call into JavaScript).
          if (job?.posted) Atomics.store(slot.stop, 0, job.id);
          clearTimeout(slot.ending?.timer);
          slot.ending = undefined;
          await slot.worker?.terminate();
        }),
      );
    },
  });
  return bound();
}
