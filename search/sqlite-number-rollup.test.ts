import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { expectSearchEqualsScan, pageAllTimestamps, scanTimestamps } from '../test/factories/scan-compare.js';
import { scanReference } from '../test/factories/scan-reference.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { LOG_LEVELS, type LogEvent } from '../transform/schema.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import { numberRollupSearch } from './sqlite-number-rollup.js';

const MIN = 60_000;
const HOUR = 3_600_000;

type Attrs = { amount?: number; mixed?: unknown };
const duration = (e: LogEvent): number | undefined => e.lambda?.report?.duration_ms;
const amount = (e: LogEvent): number | undefined => (e.attributes as Attrs).amount;
/** `attributes.mixed` compares a number, an object's members or an array's elements. */
const mixedAbove = (e: LogEvent, x: number): boolean => {
  const v = (e.attributes as Attrs).mixed;
  const all = Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : [v];
  return all.some((n) => typeof n === 'number' && n > x);
};
const isNum = (v: number | undefined): v is number => typeof v === 'number';

/** The number rollups' own answer for `q` over [from, to) with hourly buckets (undefined: declined). */
function rollupSearch(
  db: SqliteStore['db'],
  q: string,
  from: number,
  to: number,
  why?: { declined?: string },
) {
  return numberRollupSearch(
    db,
    parseQuery(q),
    { from, to, intervalMs: HOUR, now: T0 },
    { sort: 'desc', keep: 21 },
    Infinity,
    why,
  );
}

describe('number ranges from the number rollups equal a full scan', () => {
  const SERVICES = ['api-gateway', 'orders', 'payments', 'inventory'];
  const ROUND = [1000, 100, 0, 250.5, 999.99, 1000.01, 0.05, 1234];
  let store: SqliteStore;
  let alive: LogEvent[];

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    const rng = seededRandom(11);
    const events: LogEvent[] = [];
    for (let i = 0; i < 6000; i++) {
      const at = T0 - Math.floor(rng() * 3 * 24 * HOUR);
      const level = LOG_LEVELS[Math.floor(rng() * LOG_LEVELS.length)] ?? 'info';
      const attributes: Record<string, unknown> = {};
      if (i % 2 === 0)
        attributes.amount =
          i % 10 === 0
            ? (ROUND[i % ROUND.length] as number) * (i % 20 === 0 ? -1 : 1)
            : Math.round(rng() * 31_000 - 1000) / 100;
      attributes.mixed =
        i % 50 === 1
          ? { a: Math.floor(rng() * 10) }
          : i % 50 === 3
            ? [1, Math.floor(rng() * 10)]
            : Math.floor(rng() * 10);
      // A key with a dot is not the path `attributes.deep.v` (which reads {deep: {v}}).
      if (i % 5 === 0) attributes['deep.v'] = 700;
      else attributes.deep = { v: i % 200 };
      const over: Partial<LogEvent> = { attributes };
      if (i % 3 === 0) {
        const d = i % 9 === 0 ? (ROUND[i % ROUND.length] as number) : Math.round(rng() * 200_000) / 100;
        over.lambda = { platform: 'report', report: { duration_ms: d, billed_duration_ms: Math.ceil(d) } };
      }
      events.push(
        logEvent(`e${i}`, at, SERVICES[Math.floor(rng() * SERVICES.length)] ?? 'x', level, `m ${i}`, over),
      );
    }
    for (let i = 0; i < events.length; i += 500) await store.write(events.slice(i, i + 500));
    await store.write(events.slice(0, 300)); // duplicates change no count
    const cutoff = T0 - 2 * 24 * HOUR - 5 * HOUR + 17_321; // retention, in uneven batches
    while (store.prune(cutoff, 333) === 333);
    alive = events.filter((e) => Date.parse(e['@timestamp']) >= cutoff);
    expect(store.count()).toBe(alive.length);
  });
  afterAll(() => store.close());

  const queries: [string, (e: LogEvent) => boolean][] = [
    ['duration>1000', (e) => isNum(duration(e)) && (duration(e) as number) > 1000],
    ['duration>=1000', (e) => isNum(duration(e)) && (duration(e) as number) >= 1000],
    [
      'duration:[100 TO 250.5}',
      (e) => isNum(duration(e)) && (duration(e) as number) >= 100 && (duration(e) as number) < 250.5,
    ],
    ['duration>1234.5', (e) => isNum(duration(e)) && (duration(e) as number) > 1234.5],
    ['duration<=0', (e) => isNum(duration(e)) && (duration(e) as number) <= 0],
    ['attributes.amount>100', (e) => isNum(amount(e)) && (amount(e) as number) > 100],
    ['attributes.amount<-5', (e) => isNum(amount(e)) && (amount(e) as number) < -5],
    ['attributes.amount:[-0.05 TO 0.05]', (e) => isNum(amount(e)) && Math.abs(amount(e) as number) <= 0.05],
    [
      'attributes.amount>=100 service:payments -level:info',
      (e) =>
        isNum(amount(e)) &&
        (amount(e) as number) >= 100 &&
        e.service.name === 'payments' &&
        e.log.level !== 'info',
    ],
    ['attributes.amount>123.456', (e) => isNum(amount(e)) && (amount(e) as number) > 123.456],
    ['attributes.deep.v>100', (e) => ((e.attributes as { deep?: { v: number } }).deep?.v ?? -1) > 100],
    // Holds objects and arrays too: not answered by the rollups, counted as before.
    ['attributes.mixed>5', (e) => mixedAbove(e, 5)],
  ];
  const ranges: [string, number, number][] = [
    ['3 days, unaligned', T0 - 3 * 24 * HOUR + 12_345, T0 + 1],
    ['24 hours on whole hours', T0 - 24 * HOUR, T0],
    ['9 h 17 min, unaligned', T0 - 9 * HOUR - 17 * MIN - 999, T0 - 3_001],
    ['40 minutes', T0 - 40 * MIN - 7, T0 - 5 * MIN],
  ];
  // Budgets of 0: without the rollups every one of these would be counted partly (or not at all).
  const search = () => createSqliteSearch(store.db, { budgets: { countMs: 10_000, pageMs: 10_000 } });

  describe.each(queries)('query %j', (q, match) => {
    it.each(ranges)('over %s: total, histogram, facets and both pages', async (_, from, to) => {
      const req = { query: parseQuery(q), from, to, limit: 20, offset: 0, buckets: 80 };
      await expectSearchEqualsScan((req) => search().search(req), req, alive, match);
    });
  });

  it('answers ranges on fields with rollups from them, whatever the time budget', async () => {
    const from = T0 - 3 * 24 * HOUR + 12_345;
    const to = T0 + 1;
    const spent = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
    // Bounds of at most two significant digits: no bucket to check, nothing that can run out of time.
    for (const [q, match] of queries.slice(0, 9).filter(([q]) => !/250\.5|1234/.test(q))) {
      const r = await spent.search({ query: parseQuery(q), from, to, limit: 20, offset: 0, buckets: 80 });
      expect(r.partial, q).toBeUndefined();
      expect(r.total, q).toBe(scanReference(alive, match, from, to).total);
    }
    const used = (q: string) => rollupSearch(store.db, q, from, to);
    expect(used('duration>1000')).toBeDefined();
    expect(used('attributes.amount>100 level:error')).toBeDefined();
    expect(used('attributes.deep.v>100')).toBeDefined();
    expect(used('attributes.mixed>5')).toBeUndefined();
    expect(used('attributes.amount>100 declined')).toBeUndefined();
  });

  it('says why the number rollups did not answer a range whose count stopped at the budget', async () => {
    const from = T0 - 3 * 24 * HOUR + 12_345;
    const to = T0 + 1;
    const spent = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
    const run = (q: string, buckets: number) =>
      spent.search({ query: parseQuery(q), from, to, limit: 20, offset: 0, buckets });
    // A histogram interval that is not a multiple of 10 minutes (as on a range under 10 h).
    const fine = await run('attributes.amount>100', 1000);
    expect(fine.histogram.intervalMs % (10 * 60_000)).not.toBe(0);
    expect(fine.partial).toMatchObject({
      reason: 'budget',
      numberRollup: expect.stringMatching(/under 10 h/),
    });
    // A bound of more digits cuts a bucket whose events there is no time left to check.
    const cut = await run('attributes.amount>123.456', 80);
    expect(cut.partial).toMatchObject({
      reason: 'budget',
      numberRollup: expect.stringMatching(/cuts a number bucket/),
    });
    const used = (q: string, why: { declined?: string }) => rollupSearch(store.db, q, from, to, why);
    const combined: { declined?: string } = {};
    expect(used('attributes.amount>100 declined', combined)).toBeUndefined();
    expect(combined.declined).toMatch(/combined with terms other than service.name/);
    const answered: { declined?: string } = {};
    expect(used('attributes.amount>100 level:error', answered)).toBeDefined();
    expect(answered.declined).toBeUndefined();
  });

  it('pages a number range by cursor, walking or through the candidates, without gaps or repeats', async () => {
    const from = T0 - 3 * 24 * HOUR + 12_345;
    const to = T0 + 1;
    for (const budgets of [undefined, { countMs: 0, pageMs: 0 }])
      for (const [q, match] of [queries[0], queries[5], queries[9]] as [string, (e: LogEvent) => boolean][]) {
        const search = createSqliteSearch(store.db, budgets ? { budgets } : {});
        for (const sort of ['desc', 'asc'] as const) {
          const seen = await pageAllTimestamps(
            search,
            { query: parseQuery(q), from, to, limit: 40, sort },
            500,
          );
          const want = scanTimestamps(alive, match, from, to);
          expect(seen, `${q} ${sort}`).toEqual(sort === 'asc' ? want : [...want].reverse());
        }
      }
  });

  it('keeps no number rollup row whose events were all deleted', () => {
    expect(store.db.prepare('SELECT count(*) FROM rollup_number WHERE n <= 0').pluck().get()).toBe(0);
  });
});
