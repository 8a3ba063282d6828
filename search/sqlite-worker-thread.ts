import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SluiceError } from '../core/errors.js';
import { QuerySyntaxError } from './errors.js';
import { createSqliteSearch } from './sqlite.js';
import type { SearchBackend } from './types.js';

/**
 * The thread side of `createSqliteWorkerSearch`: opens the store read-only (WAL: it reads the last
 * committed state while the writer goes on) and answers one query at a time.
 */
const { path } = workerData as { path: string };
const db = new Database(path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// Sorts spill to temporary files, and the page cache is bounded: a search never grows the process
// by more than a few tens of MB, whatever the range.
db.pragma('temp_store = FILE');
db.pragma('cache_size = -32000');
const search: SearchBackend = createSqliteSearch(db);

type Call = {
  id: number;
  op: 'search' | 'page' | 'context' | 'trace' | 'tail' | 'requestTransactions' | 'transactionServices';
  args: unknown[];
};

parentPort?.on('message', async (call: Call) => {
  try {
    const fn = search[call.op] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(search, call.args);
    parentPort?.postMessage({ id: call.id, ok: true, value });
  } catch (err) {
    parentPort?.postMessage({
      id: call.id,
      ok: false,
      error: {
        name: err instanceof Error ? err.name : 'Error',
        code: err instanceof SluiceError ? err.code : undefined,
        message: err instanceof Error ? err.message : String(err),
        query: err instanceof QuerySyntaxError ? err.toJSON() : undefined,
      },
    });
  }
});
parentPort?.postMessage({ ready: true });
