import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { SearchStoppedError } from './errors.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import { countRows } from './sqlite-counts.js';
import { liveTerm, MAX_CHECK_GAP, pickMultiplier, registerLive } from './sqlite-live.js';
import type { SearchBackend } from './types.js';

describe('pickMultiplier', () => {
  it('draws multipliers under which every run of MAX_CHECK_GAP consecutive row numbers has a checked one', () => {
    const rng = seededRandom(11);
    for (let round = 0; round < 20; round++) {
      const k = pickMultiplier(rng);
      expect(k % 2).toBe(1);
      let last = -1;
      for (let x = 0; x < 3 * 65_536; x++) {
        if (((x * k) & 0xffff) >= 256) continue;
        expect(x - last).toBeLessThanOrEqual(MAX_CHECK_GAP);
        last = x;
      }
    }
  });
});

describe('liveTerm', () => {
  const db = new Database(':memory:');
  let stop = false;
  let checks = 0;
  beforeAll(() => {
    db.exec(`CREATE TABLE t (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, v TEXT);
      CREATE INDEX t_ts ON t (ts);
      WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)
      INSERT INTO t SELECT i, 1000 + i * 7, 'v' || (i % 13) FROM c;`);
    registerLive(db, () => {
      checks += 1;
      return stop;
    });
  });
  afterAll(() => db.close());

  const queries = [
    'ts >= 2000 AND ts < 90000',
    "v = 'v3'",
    "ts >= 2000 AND v = 'v3' ORDER BY ts DESC LIMIT 10",
    'seq IN (1, 5, 9)',
  ];

  it('changes neither the answer nor the plan, and checks about one row in 256', () => {
    for (const q of queries) {
      const plain = `SELECT seq FROM t WHERE ${q}`;
      const live = `SELECT seq FROM t WHERE ${liveTerm('seq')} AND ${q}`;
      expect(db.prepare(live).all()).toEqual(db.prepare(plain).all());
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);
      expect(plan(live)).toEqual(plan(plain));
    }
    checks = 0;
    db.prepare(`SELECT count(*) FROM t WHERE ${liveTerm('seq')}`).get();
    expect(checks).toBeGreaterThanOrEqual(20_000 / MAX_CHECK_GAP);
    expect(checks).toBeLessThan(20_000 / 100);
  });

  it('aborts a statement at its next check once stopped, with SearchStoppedError', () => {
    stop = false;
    let read = 0;
    const it = db.prepare(`SELECT seq FROM t WHERE ${liveTerm('seq')} ORDER BY seq`).iterate();
    const run = () => {
      for (const _ of it) {
        read += 1;
        if (read === 5000) stop = true;
      }
    };
    expect(run).toThrow(SearchStoppedError);
    expect(read).toBeGreaterThanOrEqual(5000);
    expect(read).toBeLessThanOrEqual(5000 + MAX_CHECK_GAP);
    stop = false;
    // The connection goes on: the next statement runs.
    expect(db.prepare(`SELECT count(*) AS n FROM t WHERE ${liveTerm('seq')}`).get()).toEqual({ n: 20_000 });
  });
});

/**
 * Every kind of read a search makes that can read many rows ends with SearchStoppedError when its
 * search is stopped (the store's events: 3,000 of one transaction and request, over an hour).
 */
describe('the embedded store stops each kind of read', () => {
  let store: SqliteStore;
  let stop = false;
  let search: SearchBackend;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    search = createSqliteSearch(store.db, { now: () => T0 + HOUR, stopped: () => stop });
    const events = Array.from({ length: 3000 }, (_, i) =>
      logEvent(`e${i}`, T0 + i * 1000, i % 2 ? 'orders' : 'payments', 'info', `m ${i} declined`, {
        transaction: { id: 'tx-big' },
        faas: { execution: 'req-big' },
        attributes: { order_id: 'ord-1', amount: i },
      }),
    );
    for (let i = 0; i < events.length; i += 500) await store.write(events.slice(i, i + 500));
  });
  afterAll(() => store.close());

  const range = { from: T0, to: T0 + HOUR };
  const q = (s: string) => parseQuery(s);
  const reads: [string, () => Promise<unknown>][] = [
    [
      'counts, histogram and facets (driven pass)',
      () => search.search({ query: q('declined'), ...range, limit: 10, offset: 0 }),
    ],
    [
      'counts of a walk',
      () => search.search({ query: q('-attributes.order_id:ord-1'), ...range, limit: 10, offset: 0 }),
    ],
    [
      'exact counts',
      () =>
        search.search({ query: q('attributes.order_id:ord-1'), ...range, limit: 10, offset: 0, exact: true }),
    ],
    [
      'the oldest match (no from)',
      () => search.search({ query: q('-attributes.amount:5'), limit: 10, offset: 0, exact: true }),
    ],
    [
      'exact counts of a number range',
      () =>
        search.search({ query: q('attributes.amount>=1000'), ...range, limit: 10, offset: 0, exact: true }),
    ],
    [
      'counts of a number range (number rollups)',
      () => search.search({ query: q('attributes.amount>=1000'), ...range, limit: 10, offset: 0 }),
    ],
    [
      'a page of a walk (and export)',
      () => search.page({ query: q('-attributes.order_id:ord-1'), ...range, limit: 10 }),
    ],
    [
      'a page sorted by service',
      () =>
        search.page({
          query: q('-attributes.order_id:ord-1'),
          ...range,
          limit: 10,
          sortBy: { field: 'service.name', order: 'asc' },
        }),
    ],
    [
      'a page sorted by a number',
      () =>
        search.page({
          query: q('declined'),
          ...range,
          limit: 10,
          sortBy: { field: 'attributes.amount', order: 'desc' },
        }),
    ],
    [
      'a page of many index matches (field list sample)',
      () => search.page({ query: q('attributes.order_id:ord-1'), ...range, limit: 500 }),
    ],
    ['a filtered tail from the start', () => search.tail(q('log.logger:nothing*'), '0', 10)],
    ['a trace', () => search.trace('tx-big')],
    ['request id links', () => search.requestTransactions(['req-big'])],
    ['the service map', () => search.transactionServices({ ...range, maxTransactions: 200 })],
  ];

  it('an exact count stops also while its sorted groups are read out, after the scan', () => {
    let checks = 0;
    let stopAfter = Number.POSITIVE_INFINITY;
    registerLive(store.db, () => ++checks > stopAfter);
    try {
      const count = () => countRows(store.db, q('-attributes.amount:5'), T0, T0 + HOUR, 60_000, T0);
      expect(count().reduce((n, r) => n + r.n, 0)).toBe(2999);
      // The scan checks the rows once, the read-out of the sorted groups once more.
      const all = checks;
      expect(all % 2).toBe(0);
      checks = 0;
      stopAfter = all / 2;
      expect(count).toThrow(SearchStoppedError);
      expect(checks).toBe(all / 2 + 1);
    } finally {
      registerLive(store.db, () => stop);
    }
  });

  it.each(reads)('%s', async (_name, read) => {
    stop = false;
    await expect(read()).resolves.toBeDefined();
    stop = true;
    try {
      await expect(read()).rejects.toBeInstanceOf(SearchStoppedError);
    } finally {
      stop = false;
    }
  });
});
