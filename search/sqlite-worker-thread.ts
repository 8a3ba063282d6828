import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SluiceError } from '../core/errors.js';
import { QuerySyntaxError, SearchStoppedError } from './errors.js';
import { createSqliteSearch } from './sqlite.js';
import type { SearchBackend } from './types.js';

/**
 * The thread side of `createSqliteWorkerSearch`: opens the store read-only (WAL: it reads the last
 * committed state while the writer goes on) and answers one query at a time. The caller stops a
 * query by writing its id into the shared `stop` cell: the query's statement then ends at its next
 * check (`sqlite-live.ts`) and the answer says `interrupted`.
 */
const { path, stop } = workerData as { path: string; stop: SharedArrayBuffer };
const stopCell = new Int32Array(stop);
/** The id of the query running (0: none). */
let running = 0;
const db = new Database(path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// Sorts spill to temporary files, and the page cache is bounded: a search never grows the process
// by more than a few tens of MB, whatever the range.
db.pragma('temp_store = FILE');
db.pragma('cache_size = -32000');
const search: SearchBackend = createSqliteSearch(db, {
  stopped: () => running !== 0 && Atomics.load(stopCell, 0) === running,
});

type Call = {
  id: number;
  op: 'search' | 'page' | 'context' | 'trace' | 'tail' | 'requestTransactions' | 'transactionServices';
  args: unknown[];
};

parentPort?.on('message', async (call: Call) => {
  running = call.id;
  try {
    const fn = search[call.op] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(search, call.args);
    parentPort?.postMessage({ id: call.id, ok: true, value });
  } catch (err) {
    parentPort?.postMessage({
      id: call.id,
      ok: false,
      // Its statement ended at a stop check (not finished, not failed otherwise).
      interrupted: err instanceof SearchStoppedError,
      error: {
        name: err instanceof Error ? err.name : 'Error',
        code: err instanceof SluiceError ? err.code : undefined,
        message: err instanceof Error ? err.message : String(err),
        query: err instanceof QuerySyntaxError ? err.toJSON() : undefined,
      },
    });
  } finally {
    running = 0;
  }
});
parentPort?.postMessage({ ready: true });
