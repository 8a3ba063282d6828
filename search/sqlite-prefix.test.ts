import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { MAX_FIELD_VALUES } from '../sinks/sqlite/field-stats.js';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import type { LogEvent } from '../transform/schema.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import { expandPrefixes } from './sqlite-prefix.js';

const HOUR = 3_600_000;
const LOGGERS = ['db', 'db.pool', 'dbx', 'http', 'http.client', 'Db'];

describe('prefixes on fields with a value dictionary', () => {
  let store: SqliteStore;
  let alive: LogEvent[];
  const from = T0 - 3 * 24 * HOUR;
  const to = T0 + 1;
  const tsOf = (e: LogEvent) => Date.parse(e['@timestamp']);
  const inRange = (e: LogEvent) => tsOf(e) >= from && tsOf(e) < to;

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    const rng = seededRandom(5);
    const events: LogEvent[] = [];
    for (let i = 0; i < 3000; i++) {
      const at = T0 - Math.floor(rng() * 3 * 24 * HOUR);
      // Loggers are rare (a prefix with few matches), streams are many (more than a dictionary keeps).
      const logger = i % 40 === 0 ? LOGGERS[(i / 40) % LOGGERS.length] : undefined;
      events.push(
        logEvent(`e${i}`, at, 'orders', 'info', `m ${i}`, {
          log: { level: 'info', format: 'pino', ...(logger ? { logger } : {}) },
          aws: { cloudwatch: { log_group: '/aws/lambda/orders', log_stream: `s-${i}` } },
        }),
      );
    }
    for (let i = 0; i < events.length; i += 500) await store.write(events.slice(i, i + 500));
    while (store.prune(T0 - 2 * 24 * HOUR, 333) === 333);
    alive = events.filter((e) => tsOf(e) >= T0 - 2 * 24 * HOUR);
  });
  afterAll(() => store.close());

  it('turns a prefix into the stored values it matches, or into a value that matches nothing', () => {
    const expanded = (q: string) => expandPrefixes(store.db, parseQuery(q)).root;
    expect(expanded('log.logger:db*')).toEqual({
      kind: 'term',
      field: 'log.logger',
      values: expect.arrayContaining(['db', 'db.pool', 'dbx']),
      prefix: false,
    });
    expect(expanded('log.logger:db*')).toMatchObject({ values: { length: 3 } });
    expect(expanded('-log.logger:nothing*')).toEqual({
      kind: 'not',
      child: { kind: 'term', field: 'log.logger', values: ['nothing'], prefix: false },
    });
    // More distinct values than the dictionary keeps: left a prefix.
    expect(store.db.prepare('SELECT field FROM field_values_full').pluck().all()).toContain(
      'aws.cloudwatch.log_stream',
    );
    expect(MAX_FIELD_VALUES).toBeLessThan(3000);
    expect(expanded('stream:s-1*')).toMatchObject({ prefix: true });
  });

  it('counts a prefix exactly through the field index, whatever the time budget', async () => {
    const spent = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
    for (const [q, match] of [
      ['log.logger:db*', (e: LogEvent) => e.log.logger?.startsWith('db') === true],
      ['log.logger:nothing*', () => false],
      ['log.logger:http*', (e: LogEvent) => e.log.logger?.startsWith('http') === true],
    ] as const) {
      const r = await spent.search({ query: parseQuery(q), from, to, limit: 20, offset: 0, buckets: 80 });
      const want = alive.filter((e) => inRange(e) && match(e));
      expect(r.partial, q).toBeUndefined();
      expect(r.total, q).toBe(want.length);
      expect(r.events.map((e) => e.event.id).sort(), q).toEqual(
        [...want]
          .sort((a, b) => tsOf(b) - tsOf(a))
          .slice(0, 20)
          .map((e) => e.event.id)
          .sort(),
      );
    }
  });

  it('answers a page of a prefix that matches nothing at once, with no cursor to walk on', async () => {
    const spent = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
    const p = await spent.page({ query: parseQuery('log.logger:nothing*'), from, to, limit: 50 });
    expect(p.events).toEqual([]);
    expect(p.next).toBeUndefined();
  });

  it('gives the same events as before for negated prefixes and prefixes left to the walk', async () => {
    const search = createSqliteSearch(store.db);
    for (const [q, match] of [
      ['-log.logger:db*', (e: LogEvent) => e.log.logger?.startsWith('db') !== true],
      ['stream:s-12*', (e: LogEvent) => e.aws.cloudwatch.log_stream.startsWith('s-12')],
    ] as const) {
      const r = await search.search({ query: parseQuery(q), from, to, limit: 5, offset: 0, buckets: 80 });
      expect(r.partial, q).toBeUndefined();
      expect(r.total, q).toBe(alive.filter((e) => inRange(e) && match(e)).length);
    }
  });

  it('searches a store of an older layout (without the tables) as before, for a reader that does not upgrade it', async () => {
    const old = openSqliteStore({ path: ':memory:' });
    await old.write(alive.slice(0, 200));
    // A readonly reader (`sluice search`) may open a layout 3 store: no dictionaries, no number rollups.
    old.db.exec(
      'DROP TABLE field_values_full; DROP TABLE field_values; DROP TABLE rollup_number; DROP TABLE number_fields;',
    );
    const search = createSqliteSearch(old.db);
    for (const [q, match] of [
      ['log.logger:db*', (e: LogEvent) => e.log.logger?.startsWith('db') === true],
      ['attributes.x>1', () => false],
    ] as const) {
      const r = await search.search({ query: parseQuery(q), from, to, limit: 5, offset: 0, buckets: 80 });
      expect(r.total, q).toBe(alive.slice(0, 200).filter((e) => inRange(e) && match(e)).length);
    }
    await old.close();
  });
});
