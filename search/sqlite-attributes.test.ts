import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeToken } from '../sinks/sqlite/attributes.js';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import type { SearchBackend } from './types.js';

/** Two values of key `k` whose attribute tokens are the same (a 32-bit hash collision). */
function collidingValues(): [string, string] {
  const seen = new Map<string, string>();
  for (let i = 0; ; i++) {
    const v = `v${i}`;
    const t = attributeToken('k', v);
    const other = seen.get(t);
    if (other !== undefined) return [other, v];
    seen.set(t, v);
  }
}

describe('attribute index lookups', () => {
  let store: SqliteStore;
  let search: SearchBackend;
  const [stored, collider] = collidingValues();
  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    search = createSqliteSearch(store.db);
    await store.write([
      logEvent('a', T0, 'orders', 'info', 'one', {
        attributes: {
          order_id: 'ord-1',
          http: { status: 502, method: 'POST' },
          tags: ['blue', 'green'],
          vip: true,
        },
      }),
      logEvent('b', T0 + 1, 'orders', 'info', 'two', {
        attributes: { order_id: 'ord-2', 'http.status': 200 },
      }),
      logEvent('c', T0 + 2, 'payments', 'info', 'three', { attributes: { k: stored } }),
      logEvent('d', T0 + 3, 'payments', 'info', 'four'),
    ]);
  });
  afterAll(() => store.close());

  const ids = async (q: string) =>
    (
      await search.search({ query: parseQuery(q), from: T0 - 1000, to: T0 + 1000, limit: 10, offset: 0 })
    ).events
      .map((e) => e.event.id)
      .sort();

  it.each([
    ['attributes.order_id:ord-1', ['a']],
    ['attributes.order_id:ord-1,ord-2', ['a', 'b']],
    ['attributes.http.status:502', ['a']],
    ['attributes.http.status:200', ['b']], // a dotted key is the same field as a nested one
    ['attributes.http.method:POST', ['a']],
    ['attributes.tags:green', ['a']], // any element of an array
    ['attributes.vip:true', ['a']],
    ['-attributes.order_id:ord-1', ['b', 'c', 'd']],
    ['attributes.order_id:ord-3', []],
    ['attributes.http:502', []], // an object is not a leaf
  ])('%s finds %j', async (q, want) => {
    expect(await ids(q)).toEqual(want);
  });

  it('checks every candidate against its event, so a hash collision finds nothing it should not', async () => {
    expect(attributeToken('k', collider)).toBe(attributeToken('k', stored));
    expect(await ids(`attributes.k:${stored}`)).toEqual(['c']);
    expect(await ids(`attributes.k:${collider}`)).toEqual([]);
    const r = await search.search({
      query: parseQuery(`attributes.k:${collider}`),
      from: T0 - 1000,
      to: T0 + 1000,
      limit: 10,
      offset: 0,
    });
    expect(r.total).toBe(0);
  });

  it('forgets the attributes of events retention deleted', async () => {
    expect(store.prune(T0 + 1)).toBe(1);
    expect(await ids('attributes.order_id:ord-1')).toEqual([]);
    const left = store.db
      .prepare('SELECT count(*) AS n FROM fields_fts WHERE fields_fts MATCH ?')
      .get(`"${attributeToken('order_id', 'ord-1')}"`) as { n: number };
    expect(left.n).toBe(0);
  });
});
