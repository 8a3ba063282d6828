import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
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
  /** Time one query may run before its worker is stopped and replaced (default 15 s). */
  readonly timeoutMs?: number;
  /** Queries waiting for a worker beyond which new ones are refused (default 32). */
  readonly maxWaiting?: number;
}

/** The worker-backed search, with how many running queries it stopped (budget or cancellation). */
export interface WorkerSearch extends SearchBackend {
  stopped(): number;
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
  job?: Job & { id: number; timer?: NodeJS.Timeout; onAbort?: () => void };
}
interface WireError {
  name: string;
  code?: string;
  message: string;
  query?: ReturnType<QuerySyntaxError['toJSON']>;
}

/**
 * The worker's entry: tsx's loader is registered in the thread first (the sources are TypeScript),
 * then the thread module is imported. Paths are resolved here, so it works from any cwd.
 */
function bootstrap(): string {
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./sqlite-worker-thread.ts', import.meta.url).href;
  return `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
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
 * (the HTTP client went away), its worker is terminated — which stops the query inside SQLite —
 * and a fresh one takes its place.
 */
export function createSqliteWorkerSearch(opts: WorkerSearchOptions): WorkerSearch {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxWaiting = opts.maxWaiting ?? 32;
  const code = bootstrap();
  const waiting: Job[] = [];
  let nextId = 1;
  let closed = false;
  let stoppedCount = 0;

  /** Starts a worker in `slot` (stopping the one it had, and the query that one ran). */
  function start(slot: Slot): void {
    if (slot.worker) void slot.worker.terminate();
    const worker = new Worker(code, { eval: true, workerData: { path: opts.path } });
    worker.unref();
    slot.worker = worker;
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on(
        'message',
        (m: { ready?: boolean; id?: number; ok?: boolean; value?: unknown; error?: WireError }) => {
          if (m.ready) return resolve();
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

  /** Stops the query running in `slot` (its worker is replaced) and rejects it with `err`. */
  function stop(slot: Slot, err: Error): void {
    stoppedCount += 1;
    const job = slot.job;
    finish(slot);
    job?.reject(err);
    start(slot);
    pump();
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.job || waiting.length === 0) continue;
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
          await slot.worker?.terminate();
        }),
      );
    },
  });
  return bound();
}
