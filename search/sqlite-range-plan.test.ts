import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { expectSearchEqualsScan, pageAllTimestamps, scanTimestamps } from '../test/factories/scan-compare.js';
import { scanReference } from '../test/factories/scan-reference.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { LOG_LEVELS, type LogEvent } from '../transform/schema.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import { STORE_LEAVES, WALK_LEAVES } from './sqlite-attributes.js';
import { drivenPass, planOf, walkPass } from './sqlite-bounded.js';
import { buildSqliteWhere } from './sqlite-query.js';
import { pageLeaves, searchLeaves } from './sqlite-range-plan.js';

const MIN = 60_000;
const HOUR = 3_600_000;

type Attrs = { amount?: number; method?: string; mixed?: unknown; deep?: { v: string }; 'deep.v'?: string };
const amount = (e: LogEvent): number | undefined => (e.attributes as Attrs).amount;
const duration = (e: LogEvent): number | undefined => e.lambda?.report?.duration_ms;
const above = (v: number | undefined, x: number): boolean => typeof v === 'number' && v > x;
const says = (e: LogEvent, word: string): boolean => e.message.includes(word);

/**
 * Number ranges with other terms, and over short time ranges, that the number rollups do not
 * answer: the range is checked on each event read when its field index candidates would cost more
 * than walking the time range (`searchLeaves`). Every answer equals a full scan.
 */
describe('number ranges checked per event equal a full scan', () => {
  const SERVICES = ['api-gateway', 'orders', 'payments', 'inventory'];
  let store: SqliteStore;
  let alive: LogEvent[];

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    const rng = seededRandom(23);
    const events: LogEvent[] = [];
    for (let i = 0; i < 6000; i++) {
      const at = T0 - Math.floor(rng() * 2 * 24 * HOUR);
      const level = LOG_LEVELS[Math.floor(rng() * LOG_LEVELS.length)] ?? 'info';
      const attributes: Record<string, unknown> = {};
      if (i % 2 === 0) attributes.amount = Math.round(rng() * 31_000 - 1000) / 100;
      if (i % 3 !== 2) attributes.method = i % 3 === 0 ? 'POST' : 'GET';
      attributes.mixed = i % 7 === 0 ? [1, Math.floor(rng() * 10)] : Math.floor(rng() * 10);
      // A key with a dot and a nested object: the attribute index flattens both to `deep.v`.
      if (i % 5 === 0) attributes['deep.v'] = `v${i % 4}`;
      else if (i % 5 === 1) attributes.deep = { v: `v${i % 4}` };
      const over: Partial<LogEvent> = { attributes };
      if (i % 3 === 0) {
        const d = Math.round(rng() * 200_000) / 100;
        over.lambda = { platform: 'report', report: { duration_ms: d, billed_duration_ms: Math.ceil(d) } };
      }
      const message = i % 11 === 0 ? `card declined ${i}` : `charging ${i}`;
      events.push(
        logEvent(`e${i}`, at, SERVICES[Math.floor(rng() * SERVICES.length)] ?? 'x', level, message, over),
      );
    }
    for (let i = 0; i < events.length; i += 500) await store.write(events.slice(i, i + 500));
    const cutoff = T0 - 2 * 24 * HOUR + 3 * HOUR + 7_777; // retention
    while (store.prune(cutoff, 250) === 250);
    alive = events.filter((e) => Date.parse(e['@timestamp']) >= cutoff);
    expect(store.count()).toBe(alive.length);
  });
  afterAll(() => store.close());

  const queries: [string, (e: LogEvent) => boolean][] = [
    ['attributes.amount>100 declined', (e) => above(amount(e), 100) && says(e, 'declined')],
    [
      'attributes.amount>100 attributes.method:POST',
      (e) => above(amount(e), 100) && (e.attributes as Attrs).method === 'POST',
    ],
    [
      'duration>1000 service:payments declined',
      (e) => above(duration(e), 1000) && e.service.name === 'payments' && says(e, 'declined'),
    ],
    ['attributes.amount>123.456 declined', (e) => above(amount(e), 123.456) && says(e, 'declined')],
    ['-attributes.amount>100 declined', (e) => !above(amount(e), 100) && says(e, 'declined')],
    ['attributes.amount>100 OR declined', (e) => above(amount(e), 100) || says(e, 'declined')],
    ['attributes.amount>100', (e) => above(amount(e), 100)],
    ['attributes.amount>100 level:error', (e) => above(amount(e), 100) && e.log.level === 'error'],
    ['duration>1000', (e) => above(duration(e), 1000)],
  ];
  const ranges: [string, number, number][] = [
    ['2 days, unaligned', T0 - 2 * 24 * HOUR + 12_345, T0 + 1],
    ['1 h, unaligned', T0 - 5 * HOUR - 59 * MIN - 999, T0 - 5 * HOUR + 1_001],
    ['40 minutes', T0 - 40 * MIN - 7, T0 - 5 * MIN],
  ];
  const search = () => createSqliteSearch(store.db, { budgets: { countMs: 10_000, pageMs: 10_000 } });

  describe.each(queries)('query %j', (q, match) => {
    it.each(ranges)('over %s: total, histogram, facets, both orders, exact=1', async (_, from, to) => {
      const req = { query: parseQuery(q), from, to, limit: 20, offset: 0, buckets: 80 };
      const r = await expectSearchEqualsScan((req) => search().search(req), req, alive, match);
      const exact = await search().search({ ...req, exact: true });
      expect(exact.total).toBe(r.total);
      expect(exact.histogram).toEqual(r.histogram);
      expect(exact.facets).toEqual(r.facets);
    });
  });

  it('pages by cursor in both orders without gaps or repeats', async () => {
    const [from, to] = [T0 - 2 * 24 * HOUR + 12_345, T0 + 1];
    for (const budgets of [undefined, { countMs: 0, pageMs: 0 }])
      for (const [q, match] of [queries[0], queries[1], queries[6]] as [string, (e: LogEvent) => boolean][]) {
        const s = createSqliteSearch(store.db, budgets ? { budgets } : {});
        for (const sort of ['desc', 'asc'] as const) {
          const seen = await pageAllTimestamps(s, { query: parseQuery(q), from, to, limit: 40, sort }, 500);
          const want = scanTimestamps(alive, match, from, to);
          expect(seen, `${q} ${sort}`).toEqual(sort === 'asc' ? want : [...want].reverse());
        }
      }
  });

  it('checks a range per event only when its candidates cost more than walking the time range', () => {
    const day = { from: T0 - 2 * 24 * HOUR, to: T0 + 1 };
    const leaves = (q: string, range = day) =>
      searchLeaves(store.db, parseQuery(q).root, { ...range, now: T0 });
    // Half the store's events are amounts, two thirds of them over 100: more than walking 2 days.
    expect(leaves('attributes.amount>100 declined')).not.toBe(STORE_LEAVES);
    expect(leaves('-attributes.amount>100')).not.toBe(STORE_LEAVES);
    // Few matches: the field index's candidates are cheaper.
    expect(leaves('attributes.amount>3000')).toBe(STORE_LEAVES);
    expect(leaves('duration>1900 declined')).toBe(STORE_LEAVES);
    // A field without number rollups (arrays among its values), no range: the store's leaves.
    expect(leaves('attributes.mixed>5')).toBe(STORE_LEAVES);
    expect(leaves('declined')).toBe(STORE_LEAVES);
    // The same range with few candidates over 2 days is checked per event over 40 minutes.
    expect(leaves('duration>1900', { from: T0 - 40 * MIN, to: T0 })).not.toBe(STORE_LEAVES);

    const plan = (q: string, range = day) => {
      // The leaves know a range by its node: the query is parsed once for both.
      const parsed = parseQuery(q);
      const leaves = searchLeaves(store.db, parsed.root, { ...range, now: T0 });
      return planOf(store.db, buildSqliteWhere(parsed, range, { now: T0, leaves }));
    };
    // With other indexed terms, their matches drive the pass (each checked against the range) …
    expect(plan('attributes.amount>100 declined')).toBe('driven');
    expect(plan('attributes.amount>100 attributes.method:POST')).toBe('driven');
    // … a range alone walks the time range.
    expect(plan('attributes.amount>100', { from: T0 - HOUR, to: T0 })).toBe('walk');
  });

  it('walks with every leaf checked on the event, matching what the indexes match', () => {
    const [from, to] = [T0 - 2 * 24 * HOUR, T0 + 1];
    const deep = (e: LogEvent): string | undefined =>
      (e.attributes as Attrs)['deep.v'] ?? (e.attributes as Attrs).deep?.v;
    const cases: [string, (e: LogEvent) => boolean][] = [
      ['attributes.method:POST', (e) => (e.attributes as Attrs).method === 'POST'],
      [
        'attributes.method:POST,GET declined',
        (e) => (e.attributes as Attrs).method !== undefined && says(e, 'declined'),
      ],
      [
        '-attributes.method:GET attributes.amount>100',
        (e) => (e.attributes as Attrs).method !== 'GET' && above(amount(e), 100),
      ],
      ['attributes.deep.v:v1', (e) => deep(e) === 'v1'],
      // Prefixes: searched in the document's text first (not a prefix of a number's text).
      ['attributes.method:PO*', (e) => (e.attributes as Attrs).method?.startsWith('PO') === true],
      // (a prefix reads the key in both forms, nested and dotted, as the attribute index does)
      ['attributes.deep.v:v*', (e) => deep(e)?.startsWith('v') === true],
    ];
    for (const [q, match] of cases) {
      const total = (leaves: typeof STORE_LEAVES) => {
        const pred = buildSqliteWhere(parseQuery(q), {}, { now: T0, leaves });
        return walkPass(store.db, pred, from, to, HOUR, Number.POSITIVE_INFINITY, 0).rows.reduce(
          (n, r) => n + r.n,
          0,
        );
      };
      const want = scanReference(alive, match, from, to).total;
      expect(want, q).toBeGreaterThan(0);
      expect(total(WALK_LEAVES), q).toBe(want);
      expect(total(STORE_LEAVES), q).toBe(want);
    }
  });

  it('keeps service / level terms off their indexes when the other terms read fewer events', () => {
    const range = { from: T0 - 2 * 24 * HOUR + 12_345, to: T0 + 1, now: T0 };
    const cases: [string, (e: LogEvent) => boolean][] = [
      ['service.name:payments declined', (e) => e.service.name === 'payments' && says(e, 'declined')],
      [
        'service.name:payments,orders level:error attributes.method:POST',
        (e) =>
          ['payments', 'orders'].includes(e.service.name) &&
          e.log.level === 'error' &&
          (e.attributes as Attrs).method === 'POST',
      ],
      [
        'level:warn attributes.amount>100 declined',
        (e) => e.log.level === 'warn' && above(amount(e), 100) && says(e, 'declined'),
      ],
    ];
    for (const [q, match] of cases) {
      const parsed = parseQuery(q);
      const where = (budgetMs: number) =>
        buildSqliteWhere(parsed, range, {
          now: T0,
          leaves: searchLeaves(store.db, parsed.root, range, budgetMs),
        });
      // A budget no walk of the service's events fits in: the other terms' index reads them.
      expect(planOf(store.db, where(0)), q).toBe('driven');
      expect(where(0).sql, q).toMatch(/\+(service|level) IN/);
      // The range's 5,000-odd events are walked in far less than the usual budget.
      expect(where(600).sql, q).not.toMatch(/\+(service|level) IN/);
      // A further page in time order walks the service's events and stops at the page.
      const page = pageLeaves(store.db, parsed.root, range, 0);
      expect(buildSqliteWhere(parsed, range, { now: T0, leaves: page }).sql, q).not.toMatch(
        /\+(service|level) IN/,
      );
      const pass = drivenPass(store.db, where(0), HOUR, Number.POSITIVE_INFINITY);
      expect(
        pass?.rows.reduce((n, r) => n + r.n, 0),
        q,
      ).toBe(scanReference(alive, match, range.from, range.to).total);
    }
    // A query of service / level terms only is counted from the rollups: left as it is.
    const only = parseQuery('service.name:payments level:error');
    expect(searchLeaves(store.db, only.root, range, 0)).toBe(STORE_LEAVES);
  });

  it('ends a driven pass that reads many candidates but returns no row at its deadline', () => {
    // Every POST event is a candidate, none has this amount: the statement returns nothing.
    const where = buildSqliteWhere(
      parseQuery('attributes.method:POST attributes.amount:-12345'),
      { from: T0 - 3 * 24 * HOUR, to: T0 + 1 },
      { now: T0, leaves: STORE_LEAVES },
    );
    expect(planOf(store.db, where)).toBe('driven');
    expect(drivenPass(store.db, where, HOUR, Number.POSITIVE_INFINITY)).toEqual({ rows: [], keys: [] });
    expect(drivenPass(store.db, where, HOUR, performance.now() - 1000)).toBeUndefined();
  });

  it('says a walk of a range checked per event stopped at the budget, and why the rollups declined', async () => {
    const spent = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
    const r = await spent.search({
      query: parseQuery('attributes.amount>100'),
      from: T0 - 2 * 24 * HOUR,
      to: T0,
      limit: 20,
      offset: 0,
      // A histogram interval that is not a multiple of 10 minutes (as on a range under 10 h).
      buckets: 1000,
    });
    expect(r.histogram.intervalMs % (10 * MIN)).not.toBe(0);
    expect(r.partial).toMatchObject({ reason: 'budget', numberRollup: expect.stringMatching(/under 10 h/) });
  });
});

/**
 * Events written in time order (as `sluice start` writes them): a number range over a short time
 * range reads the field index entries of that range's row numbers only (`rowid BETWEEN`).
 */
describe('number ranges read through the row numbers of the time range equal a full scan', () => {
  let store: SqliteStore;
  let alive: LogEvent[];

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    const rng = seededRandom(31);
    const events: LogEvent[] = [];
    for (let i = 0; i < 8000; i++) {
      const at = T0 - 2 * 24 * HOUR + Math.floor(rng() * 2 * 24 * HOUR);
      const over: Partial<LogEvent> = { attributes: { amount: Math.round(rng() * 31_000) / 100 } };
      if (i % 2 === 0) {
        const d = Math.round(rng() * 200_000) / 100;
        over.lambda = { platform: 'report', report: { duration_ms: d, billed_duration_ms: Math.ceil(d) } };
      }
      const level = LOG_LEVELS[i % LOG_LEVELS.length] ?? 'info';
      events.push(logEvent(`w${i}`, at, i % 3 ? 'orders' : 'payments', level, `m ${i}`, over));
    }
    events.sort((a, b) => Date.parse(a['@timestamp']) - Date.parse(b['@timestamp']));
    for (let i = 0; i < events.length; i += 500) await store.write(events.slice(i, i + 500));
    alive = events;
  });
  afterAll(() => store.close());

  const queries: [string, (e: LogEvent) => boolean][] = [
    ['duration>1950', (e) => above(duration(e), 1950)],
    ['attributes.amount>305', (e) => above(amount(e), 305)],
    ['attributes.amount>305 service:payments', (e) => above(amount(e), 305) && e.service.name === 'payments'],
  ];
  const ranges: [string, number, number][] = [
    ['1 h, unaligned', T0 - 7 * HOUR - 59 * MIN - 999, T0 - 7 * HOUR + 1_001],
    ['6 h', T0 - 12 * HOUR, T0 - 6 * HOUR],
    ['9 h 17 min, unaligned', T0 - 9 * HOUR - 17 * MIN - 999, T0 - 3_001],
  ];
  const search = () => createSqliteSearch(store.db, { budgets: { countMs: 10_000, pageMs: 10_000 } });

  describe.each(queries)('query %j', (q, match) => {
    it.each(ranges)(
      'over %s: through the window; total, histogram, facets, both orders',
      async (_, from, to) => {
        const parsed = parseQuery(q);
        const s = search(); // registers the store's SQL functions on the connection
        const leaves = searchLeaves(store.db, parsed.root, { from, to, now: T0 });
        expect(
          buildSqliteWhere(parsed, { from, to }, { now: T0, leaves }).sql,
          String(store.db.prepare('SELECT count(*) FROM rollup_number').pluck().get()) +
            ' ' +
            String(store.db.prepare('SELECT count(*) FROM number_fields').pluck().get()),
        ).toMatch(/rowid BETWEEN/);
        expect(scanReference(alive, match, from, to).total).toBeGreaterThan(0);
        const req = { query: parsed, from, to, limit: 20, offset: 0, buckets: 80 };
        await expectSearchEqualsScan((req) => s.search(req), req, alive, match);
        const seen = await pageAllTimestamps(s, { query: parsed, from, to, limit: 7 });
        expect(seen).toEqual(scanTimestamps(alive, match, from, to).reverse());
      },
    );
  });
});
