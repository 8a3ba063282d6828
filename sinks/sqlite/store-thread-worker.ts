import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SluiceError } from '../../core/errors.js';
import type { DeadLetter } from '../dead-letters/types.js';
import { openSqliteStore, type SqliteStore } from './store.js';
import type { StoreCall, StoreReply, WriteAnswer } from './store-thread-protocol.js';

/**
 * The thread side of `openSqliteStoreThread`: owns the store's one writer connection
 * (`openSqliteStore`, which also upgrades an older layout, its log lines posted to the caller) and
 * applies the calls one at a time, in the order they were posted. A batch's bad events are kept
 * as letters and sent back with its answer: the dead-letter store lives on the caller's thread.
 */
const { path } = workerData as { path: string };
if (!parentPort) throw new Error('store-thread-worker.ts runs in a worker thread');
const port: MessagePort = parentPort;

const post = (m: StoreReply): void => port.postMessage(m);
/** The letters of the batch being written (`openSqliteStore` puts them during its `write`). */
let letters: DeadLetter[] = [];
function open(): SqliteStore | undefined {
  try {
    return openSqliteStore({
      path,
      log: (line) => post({ log: line }),
      deadLetters: {
        async put(l) {
          letters.push(...l);
        },
      },
    });
  } catch (err) {
    post({ failed: wire(err) });
    return undefined;
  }
}

function wire(err: unknown): { code?: string; message: string } {
  return {
    // The store's own codes (`SQLITE_STORE_…`) and SQLite's (`SQLITE_FULL`, …).
    code: err instanceof SluiceError || err instanceof Database.SqliteError ? err.code : undefined,
    message: err instanceof Error ? err.message : String(err),
  };
}

async function apply(store: SqliteStore, call: StoreCall): Promise<unknown> {
  switch (call.op) {
    case 'write': {
      letters = [];
      const report = await store.write(call.events);
      const answer: WriteAnswer = { results: report.results, letters };
      letters = [];
      return answer;
    }
    case 'prune':
      return store.prune(call.beforeMs, call.limit);
    case 'compact':
      return store.compact();
    case 'size':
      return store.size();
    case 'count':
      return store.count();
    case 'close':
      await store.close();
      return undefined;
  }
}

const opened = open();
if (opened === undefined) port.close();
else serve(opened);

function serve(store: SqliteStore): void {
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (call: StoreCall) => {
    chain = chain.then(async () => {
      try {
        post({ id: call.id, ok: true, value: await apply(store, call) });
      } catch (err) {
        post({ id: call.id, ok: false, error: wire(err) });
      }
      // Closed: the thread ends once the answer is sent.
      if (call.op === 'close') port.close();
    });
  });
  post({ ready: true });
}
