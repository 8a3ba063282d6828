import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { scanReference } from '../test/factories/scan-reference.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { LOG_LEVELS, type LogEvent } from '../transform/schema.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import { STORE_LEAVES } from './sqlite-attributes.js';
import { planOf } from './sqlite-bounded.js';
import { answeredByRollups, planRange } from './sqlite-counts.js';
import { buildSqliteWhere } from './sqlite-query.js';
import type { SearchBackend } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;

describe('planRange', () => {
  it('reads whole hours from the hour rollup, whole minutes from the minute rollup and the ends from events', () => {
    const from = T0 - 3 * HOUR - 150_500; // 2 min 30.5 s before a whole hour
    const to = T0 + 2 * HOUR + 30 * MIN + 1234;
    expect(planRange(from, to, 3 * HOUR)).toEqual([
      { from, to: T0 - 3 * HOUR - 2 * MIN, table: 'events' },
      { from: T0 - 3 * HOUR - 2 * MIN, to: T0 - 3 * HOUR, table: 'rollup_minute' },
      { from: T0 - 3 * HOUR, to: T0 + 2 * HOUR, table: 'rollup_hour' },
      { from: T0 + 2 * HOUR, to: T0 + 2 * HOUR + 30 * MIN, table: 'rollup_minute' },
      { from: T0 + 2 * HOUR + 30 * MIN, to, table: 'events' },
    ]);
  });

  it('uses minutes only when the interval is not a whole number of hours, and events below a minute', () => {
    expect(planRange(T0, T0 + 5 * HOUR, 30 * MIN)).toEqual([
      { from: T0, to: T0 + 5 * HOUR, table: 'rollup_minute' },
    ]);
    expect(planRange(T0, T0 + 10 * MIN, 10_000)).toEqual([{ from: T0, to: T0 + 10 * MIN, table: 'events' }]);
    expect(planRange(T0 + 1, T0 + MIN + 2, MIN)).toEqual([
      { from: T0 + 1, to: T0 + MIN + 2, table: 'events' },
    ]);
  });

  it('answers only queries made of service and level terms from rollups', () => {
    expect(answeredByRollups(parseQuery(''))).toBe(true);
    expect(answeredByRollups(parseQuery('service:a,b -level:info service:pay*'))).toBe(true);
    expect(answeredByRollups(parseQuery('service:a timeout'))).toBe(false);
    expect(answeredByRollups(parseQuery('attributes.x:1'))).toBe(false);
  });
});

describe('counts, histogram and facets from rollups equal a full scan', () => {
  const SERVICES = ['api-gateway', 'orders', 'payments', 'pay "ext" v2', 'inventory'];
  let store: SqliteStore;
  let search: SearchBackend;
  let alive: LogEvent[];

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    search = createSqliteSearch(store.db);
    const rng = seededRandom(7);
    const events: LogEvent[] = [];
    for (let i = 0; i < 6000; i++) {
      // Spread over 3 days before T0, at any millisecond (so every minute and hour edge is crossed).
      const at = T0 - Math.floor(rng() * 3 * 24 * HOUR);
      const level = LOG_LEVELS[Math.floor(rng() * LOG_LEVELS.length)] ?? 'info';
      events.push(
        logEvent(
          `e${i}`,
          at,
          SERVICES[Math.floor(rng() * SERVICES.length)] ?? 'x',
          level,
          `m ${i}${i % 7 === 0 ? ' declined' : ''}`,
          {
            attributes: { order_id: `ord-${i % 50}` },
            log: { level, format: 'pino', logger: i % 3 === 0 ? 'db' : 'http' },
          },
        ),
      );
    }
    for (let i = 0; i < events.length; i += 500) await store.write(events.slice(i, i + 500));
    await store.write(events.slice(0, 300)); // duplicates change no count
    // Retention deletes the oldest day, in uneven batches.
    const cutoff = T0 - 2 * 24 * HOUR + 17_321;
    while (store.prune(cutoff, 333) === 333);
    alive = events.filter((e) => Date.parse(e['@timestamp']) >= cutoff);
    expect(store.count()).toBe(alive.length);
  });
  afterAll(() => store.close());

  const queries: [string, (e: LogEvent) => boolean][] = [
    ['', () => true],
    ['service:payments', (e) => e.service.name === 'payments'],
    ['-service:api-gateway', (e) => e.service.name !== 'api-gateway'],
    [
      'service:"pay \\"ext\\" v2" level:error,fatal',
      (e) =>
        e.service.name === 'pay "ext" v2' &&
        e.log.level >= 'error' &&
        ['error', 'fatal'].includes(e.log.level),
    ],
    ['service:pay* -level:info', (e) => e.service.name.startsWith('pay') && e.log.level !== 'info'],
    ['attributes.order_id:ord-7', (e) => (e.attributes as { order_id?: string }).order_id === 'ord-7'],
    // Not answered by rollups: an index-driven pass (free text) and a walk on the time index.
    ['declined', (e) => e.message.includes('declined')],
    ['log.logger:db', (e) => e.log.logger === 'db'],
    ['log.logger:db -declined', (e) => e.log.logger === 'db' && !e.message.includes('declined')],
    ['log.logger:d*', (e) => e.log.logger === 'db'],
  ];
  const ranges: [string, number, number][] = [
    ['3 days, unaligned', T0 - 3 * 24 * HOUR + 12_345, T0 + 1],
    ['47 hours, unaligned (hourly buckets)', T0 - 47 * HOUR - 1_234_567, T0 - 61_001],
    ['24 hours on whole hours', T0 - 24 * HOUR, T0],
    ['9 h 17 min, unaligned', T0 - 9 * HOUR - 17 * MIN - 999, T0 - 3_001],
    ['40 minutes', T0 - 40 * MIN - 7, T0 - 5 * MIN],
  ];
  describe.each(queries)('query %j', (q, match) => {
    it.each(ranges)('over %s', async (_, from, to) => {
      const r = await search.search({ query: parseQuery(q), from, to, limit: 20, offset: 0, buckets: 80 });
      const want = scanReference(alive, match, from, to);
      expect(r.total).toBe(want.total);
      expect(r.histogram.buckets).toEqual(want.buckets);
      expect(r.facets.service).toEqual(want.service);
      expect(r.facets.level).toEqual(want.level);
      expect(r.events.map((e) => e['@timestamp'])).toEqual(want.newest);
    });
  });

  it('plans free text, ids and indexed fields as driven by their index, the rest as a walk on the time index', () => {
    const plan = (q: string) =>
      planOf(
        store.db,
        buildSqliteWhere(parseQuery(q), { from: T0 - HOUR, to: T0 }, { leaves: STORE_LEAVES }),
      );
    expect(plan('declined')).toBe('driven');
    expect(plan('attributes.order_id:ord-7')).toBe('driven');
    expect(plan('transaction.id:tx-1')).toBe('driven');
    expect(plan('log.logger:db')).toBe('driven');
    expect(plan('error.type:*')).toBe('driven');
    expect(plan('log.logger:d*')).toBe('walk');
    expect(plan('declined OR level:error')).toBe('walk');
    expect(plan('-declined')).toBe('walk');
  });

  describe('past the time budget (budget 0)', () => {
    const from = T0 - 3 * 24 * HOUR;
    const to = T0 + 1;
    const isDb = (e: LogEvent) => e.log.logger === 'db'; // `log.logger:d*`: a prefix, no index
    const tsOf = (e: LogEvent) => Date.parse(e['@timestamp']);

    /** `log.logger:d*` over the whole range on a search whose budgets are already spent. */
    const searchSpent = (exact?: boolean) =>
      createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } }).search({
        query: parseQuery('log.logger:d*'),
        from,
        to,
        limit: 20,
        offset: 0,
        buckets: 80,
        exact,
      });

    it('counts exactly the matches from `countedFrom` on, and says from when', async () => {
      const r = await searchSpent();
      const countedFrom = r.partial?.countedFrom as number;
      expect(countedFrom).toBeGreaterThan(from);
      const want = scanReference(alive, isDb, countedFrom, to);
      expect(r.total).toBe(want.total);
      expect(r.total).toBeLessThan(scanReference(alive, isDb, from, to).total);
      expect(r.facets.service).toEqual(want.service);
      expect(r.facets.level).toEqual(want.level);
      const { intervalMs } = r.histogram;
      for (const b of r.histogram.buckets) {
        const n = alive.filter(
          (e) => isDb(e) && tsOf(e) >= Math.max(b.start, countedFrom) && tsOf(e) < b.start + intervalMs,
        ).length;
        expect(b.count).toBe(n);
      }
      expect(r.events.map((e) => e['@timestamp'])).toEqual(want.newest);
    });

    it('says why it stopped: too many matches for the index pass, or a part no index answers', async () => {
      // `log.logger:d*` becomes `log.logger:db` (value dictionary): the field index finds the
      // matches, but a spent budget cannot count them.
      expect((await searchSpent())?.partial).toMatchObject({ reason: 'budget' });
      expect((await searchSpent())?.partial?.unindexed).toBeUndefined();
      const bounded = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
      // A prefix on an attribute has no value dictionary: no index, the range is walked.
      const q = parseQuery('attributes.order_id:ord-1*');
      const r = await bounded.search({ query: q, from, to, limit: 20, offset: 0, buckets: 80 });
      expect(r.partial).toMatchObject({ reason: 'no-index', unindexed: 'attributes.order_id:ord-1*' });
    });

    it('counts every match when asked for exact counts', async () => {
      const r = await searchSpent(true);
      expect(r.partial).toBeUndefined();
      expect(r.total).toBe(scanReference(alive, isDb, from, to).total);
    });

    it('pages a walk by cursor from where it stopped, without gaps or repeats', async () => {
      const bounded = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const p = await bounded.page({ query: parseQuery('log.logger:d*'), from, to, limit: 50, after });
        seen.push(...p.events.map((e) => e.event.id));
        after = p.next;
        pages += 1;
      } while (after !== undefined && pages < 1000);
      const want = alive
        .filter((e) => isDb(e) && tsOf(e) >= from && tsOf(e) < to)
        .sort((a, b) => tsOf(b) - tsOf(a) || 0)
        .map((e) => e.event.id);
      expect(pages).toBeGreaterThan(want.length / 50);
      expect([...seen].sort()).toEqual([...want].sort());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('answers rollup queries, and index-driven ones with few matches, exactly whatever the budget', async () => {
      const bounded = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
      for (const [q, match] of [
        ['service:payments', (e: LogEvent) => e.service.name === 'payments'],
        [
          'attributes.order_id:ord-7',
          (e: LogEvent) => (e.attributes as { order_id?: string }).order_id === 'ord-7',
        ],
      ] as const) {
        const r = await bounded.search({ query: parseQuery(q), from, to, limit: 20, offset: 0, buckets: 80 });
        expect(r.partial).toBeUndefined();
        expect(r.total).toBe(scanReference(alive, match, from, to).total);
      }
    });
  });

  it('keeps no rollup row for a minute whose events were all deleted', () => {
    const empty = store.db.prepare('SELECT count(*) AS n FROM rollup_minute WHERE n <= 0').get() as {
      n: number;
    };
    expect(empty.n).toBe(0);
  });
});
