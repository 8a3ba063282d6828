import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchStoppedError } from '../search/errors.js';
import { parseQuery } from '../search/query.js';
import { createSqliteWorkerSearch, type WorkerSearch } from '../search/sqlite-worker.js';
import { rebuildRollups } from '../sinks/sqlite/migrate.js';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { startInProcess } from '../test/e2e/start-local.js';
import type { RunningStart } from './start.js';

const ROWS = 300_000;
/**
 * Free text matching every row and fields the field index leaves out (few values, each on much of
 * the store), counted exactly (`exact=1`: no counting budget): one pass over all rows that reads
 * each stored event (counts, histogram and facets cannot come from the rollups).
 */
const SLOW_QUERY = encodeURIComponent(
  'orders log.format:text -faas.name:none -aws.cloudwatch.log_group:y -cloud.region:r -cloud.account.id:a',
);
/** Recent (the events span the 50 minutes after it), so retention (7 days) keeps them all. */
const T0 = Date.now() - 2 * 3_600_000;

/**
 * A store big enough that a free-text search over all of it takes seconds (the issue saw 28 s on
 * 8.6M events; 300k rows give ~3 s here), written with one SQL statement.
 */
async function bigStore(dir: string): Promise<void> {
  const store = openSqliteStore({ path: join(dir, 'events.db') });
  store.db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${ROWS})
    INSERT INTO events (id, ts, level, level_num, service, transaction_id, trace_id, doc)
    SELECT 'e' || i, ${T0} + i * 10, 'info', 2, 'svc' || (i % 7), 'tx' || (i % 1000), NULL,
      json_object('@timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', (${T0} + i * 10) / 1000.0, 'unixepoch'),
        'message', 'm', 'log', json_object('level', 'info', 'format', 'text'),
        'service', json_object('name', 'svc' || (i % 7)), 'transaction', json_object('id', 'tx' || (i % 1000)),
        'event', json_object('id', 'e' || i, 'ingested', '2026-01-01T00:00:00.000Z'),
        'aws', json_object('cloudwatch', json_object('log_group', '', 'log_stream', 'x'))) FROM c;
    INSERT INTO events_fts (rowid, message, error_text)
      SELECT seq, 'message number ' || seq || ' about orders and payments', '' FROM events`);
  // The store's write counts the rollups; rows written with SQL are counted here.
  rebuildRollups(store.db);
  await store.close();
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-slow-search-'));
  await bigStore(dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `sluice start` on the big store, its search workers started (each has answered a query). */
async function start(limits: Record<string, unknown> = {}): Promise<RunningStart> {
  const app = await startInProcess(dir, {
    http: { port: 0, limits },
    sources: { demo: { enabled: false } },
  });
  // Two at once: one per worker (a worker takes its first query once its thread has started).
  await Promise.all(['tx1', 'tx2'].map((t) => fetch(`${app.url}/api/trace/${t}`).then((r) => r.json())));
  return app;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Window over which the process's CPU time is compared, ms. */
const CPU_WINDOW_MS = 500;

/** CPU time (user + system) of this process — every thread, the search workers too — in the next `ms`. */
async function cpuOver(ms: number): Promise<number> {
  const c0 = process.cpuUsage();
  await sleep(ms);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/**
 * The exact slow search, sent `n` times at once (one per worker), and the CPU the process used in
 * a window while they ran (a few seconds of CPU each: they are still running after the window).
 */
async function slowSearches(
  app: RunningStart,
  n: number,
  signal?: AbortSignal,
): Promise<{ replies: Promise<number | 'aborted'>[]; busy: number }> {
  const replies = Array.from({ length: n }, () =>
    fetch(`${app.url}/api/search?exact=1&q=${SLOW_QUERY}`, { signal }).then(
      async (r) => {
        await r.body?.cancel();
        return r.status;
      },
      () => 'aborted' as const,
    ),
  );
  await sleep(200); // the queries are running in their workers by now
  return { replies, busy: await cpuOver(CPU_WINDOW_MS) };
}

describe('search runs off the ingest path', () => {
  it('keeps answering ingest while a slow search runs', async () => {
    const app = await start();
    try {
      let searchDone = false;
      const slow = fetch(`${app.url}/api/search?exact=1&q=${SLOW_QUERY}`).then(async (r) => {
        searchDone = true;
        return r.status;
      });
      await new Promise((r) => setTimeout(r, 300)); // the query is running in its worker by now
      const answeredWhileSearching: boolean[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${app.url}/ingest/ndjson`, {
          method: 'POST',
          body: `ingest ${i} during a slow search\n`,
          headers: { 'content-type': 'application/x-ndjson' },
        });
        expect(res.status).toBe(202);
        answeredWhileSearching.push(!searchDone);
      }
      // Every ingest answer came while the search was still running (on one thread it waited for it).
      expect(answeredWhileSearching).toEqual([true, true, true, true, true]);
      expect(await slow).toBe(200);
      expect(searchDone).toBe(true);
    } finally {
      await app.stop();
    }
  });
});

/**
 * A stopped search stops inside SQLite (`search/sqlite-live.ts`): its statement ends at its next
 * check (`interrupted()`), its worker takes the next query (none is `replaced()`), and the CPU the
 * process uses in the window right after the stop is under half of what it used while the search
 * ran. Before the checks, the statement ran on to its end in a terminated worker while a new
 * worker started beside it: the CPU stayed up.
 */
describe('a stopped search stops using CPU', () => {
  it('stops searches past their time budget with 503 SEARCH_TIMEOUT; their workers answer the next one', async () => {
    // A budget each exact slow query (seconds of CPU) overruns; both workers are busy with one.
    const app = await start({ search_timeout_ms: 800 });
    const search = app.search as WorkerSearch;
    try {
      const { replies, busy } = await slowSearches(app, 2);
      expect(await Promise.all(replies)).toEqual([503, 503]);
      expect(await cpuOver(CPU_WINDOW_MS)).toBeLessThan(busy / 2);
      const trace = await fetch(`${app.url}/api/trace/tx7`);
      expect(trace.status).toBe(200);
      expect(((await trace.json()) as { events: unknown[] }).events.length).toBeGreaterThan(0);
      expect(search.interrupted()).toBe(2);
      expect(search.replaced()).toBe(0);
    } finally {
      await app.stop();
    }
  });

  it('stops the search of a client that disconnects', async () => {
    const app = await start();
    const search = app.search as WorkerSearch;
    try {
      const gone = new AbortController();
      const { replies, busy } = await slowSearches(app, 1, gone.signal);
      gone.abort();
      expect(await Promise.all(replies)).toEqual(['aborted']);
      // The server sees the connection close, and stops the search.
      await expect.poll(() => search.stopped(), { interval: 10 }).toBe(1);
      expect(await cpuOver(CPU_WINDOW_MS)).toBeLessThan(busy / 2);
      expect(search.interrupted()).toBe(1);
      expect(search.replaced()).toBe(0);
    } finally {
      await app.stop();
    }
  });

  it('stops the running searches when the server stops', async () => {
    const app = await start();
    const { replies, busy } = await slowSearches(app, 2);
    const c0 = process.cpuUsage();
    const stopping = app.stop();
    await sleep(CPU_WINDOW_MS);
    const c = process.cpuUsage(c0);
    // Stopping the server (its store flushed and closed) and what the searches still did in the window.
    expect((c.user + c.system) / 1000).toBeLessThan(busy / 2);
    await stopping;
    for (const r of await Promise.all(replies)) expect(r === 'aborted' || r >= 500).toBe(true);
  });

  it('a caller that went away frees its worker for the next query, which that worker answers', async () => {
    const search = createSqliteWorkerSearch({ path: join(dir, 'events.db'), workers: 1, timeoutMs: 60_000 });
    try {
      await search.trace('tx1', 1); // the worker's thread has started
      const gone = new AbortController();
      const slow = search.withSignal!(gone.signal).search({
        query: parseQuery('orders log.format:text -faas.name:none -cloud.region:r'),
        limit: 50,
        offset: 0,
        buckets: 60,
        exact: true,
      });
      await sleep(200);
      const busy = await cpuOver(CPU_WINDOW_MS);
      gone.abort();
      await expect(slow).rejects.toBeInstanceOf(SearchStoppedError);
      expect(search.stopped()).toBe(1);
      expect(await cpuOver(CPU_WINDOW_MS)).toBeLessThan(busy / 2);
      // The only worker, not replaced, answers: the stopped statement ended at a check.
      const trace = await search.trace('tx3', 5);
      expect(trace.events.length).toBe(5);
      expect(search.interrupted()).toBe(1);
      expect(search.replaced()).toBe(0);
    } finally {
      await search.close();
    }
  });
});
