import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import { STORE_LEAVES, WALK_LEAVES } from './sqlite-attributes.js';
import { buildSqliteWhere, EVENTS_TABLE_LEAVES, type SqlLeaves } from './sqlite-query.js';
import type { SearchBackend } from './types.js';

/**
 * An `attributes.*` key with a dot is one field in every form it is stored in (`{"a":{"b":…}}`,
 * `{"a.b":…}`, mixes of both) for values, prefixes and `:*`, as the attribute index flattens it;
 * ranges read the nested form. Each kind of leaf finds the same events through the indexes,
 * through a walk's per-event check, through the plain translation and with `exact=1`.
 */
const ATTRIBUTES: Record<string, Record<string, unknown>> = {
  nested: { deep: { v: 'v1' } },
  dotted: { 'deep.v': 'v1' },
  array: { deep: { v: ['v2', 'v1'] } },
  objects: { deep: [{ v: 'v1' }] }, // values through an array of objects (as the index flattens them)
  outer: { 'a.b': { c: 1 } },
  inner: { a: { 'b.c': 2 } },
  plain: { a: { b: { c: 3 } } },
  number: { 'deep.v': 7 },
  nestedNumber: { deep: { v: 12 } },
  http: { http: { status: 500 } },
  none: { other: 'x' },
  nullValue: { 'deep.v': null },
};
const ALL = Object.keys(ATTRIBUTES).sort();
const without = (ids: string[]) => ALL.filter((id) => !ids.includes(id));

const CASES: [string, string[]][] = [
  ['attributes.deep.v:v1', ['array', 'dotted', 'nested', 'objects']],
  ['attributes.deep.v:v*', ['array', 'dotted', 'nested', 'objects']],
  ['attributes.deep.v:v2,7', ['array', 'number']],
  ['attributes.deep.v:7', ['number']],
  ['attributes.deep.v:1*', ['nestedNumber']],
  ['-attributes.deep.v:v1', without(['array', 'dotted', 'nested', 'objects'])],
  ['-attributes.deep.v:v*', without(['array', 'dotted', 'nested', 'objects'])],
  // present: a value, array or object at the key in either form (not through arrays of objects)
  ['attributes.deep.v:*', ['array', 'dotted', 'nested', 'nestedNumber', 'number']],
  ['-attributes.deep.v:*', without(['array', 'dotted', 'nested', 'nestedNumber', 'number'])],
  // number and text ranges read the nested form only, the form the number rollups count
  ['attributes.deep.v>5', ['nestedNumber']],
  ['attributes.deep.v:[12 TO 12]', ['nestedNumber']],
  ['-attributes.deep.v>10', without(['nestedNumber'])],
  ['attributes.deep.v>=v2', ['array']], // a text bound compares text
  ['attributes.a.b.c:1', ['outer']],
  ['attributes.a.b.c:2', ['inner']],
  ['attributes.a.b.c:3', ['plain']],
  ['attributes.a.b.c:*', ['inner', 'outer', 'plain']],
  ['attributes.a.b.c>=1', ['plain']],
  ['attributes.a.b>0', ['plain']], // a range on an object compares its members
  ['attributes.a.b:*', ['outer', 'plain']],
  ['attributes.http.status:5*', ['http']],
  ['attributes.http:5*', []], // an object's members are not its values (as `attributes.http:500`)
  ['attributes.http:500', []],
];

describe('attributes.* keys with dots', () => {
  let store: SqliteStore;
  let search: SearchBackend;
  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    search = createSqliteSearch(store.db);
    await store.write(
      Object.entries(ATTRIBUTES).map(([id, attributes], i) =>
        logEvent(id, T0 + i, 'orders', 'info', `event ${id}`, { attributes }),
      ),
    );
  });
  afterAll(() => store.close());

  const byLeaves = (q: string, leaves: SqlLeaves): string[] => {
    const w = buildSqliteWhere(parseQuery(q), { from: T0 - 1000, to: T0 + 1000 }, { now: T0, leaves });
    const rows = store.db.prepare(`SELECT id FROM events WHERE ${w.sql}`).all(...w.params) as {
      id: string;
    }[];
    return rows.map((r) => r.id).sort();
  };
  const bySearch = async (q: string, exact: boolean): Promise<string[]> => {
    const r = await search.search({
      query: parseQuery(q),
      from: T0 - 1000,
      to: T0 + 1000,
      limit: 100,
      offset: 0,
      exact,
    });
    expect(r.total, q).toBe(r.events.length);
    return r.events.map((e) => e.event.id).sort();
  };

  it.each(CASES)(
    '%s finds %j through the indexes, a walk, the plain translation and exact=1',
    async (q, want) => {
      expect(byLeaves(q, STORE_LEAVES), 'indexes').toEqual(want);
      expect(byLeaves(q, WALK_LEAVES), 'walk').toEqual(want);
      expect(byLeaves(q, EVENTS_TABLE_LEAVES), 'plain').toEqual(want);
      expect(await bySearch(q, false), 'search').toEqual(want);
      expect(await bySearch(q, true), 'exact=1').toEqual(want);
    },
  );

  it('reads a value too long for the attribute index in either form', async () => {
    const long = 'x'.repeat(300);
    await store.write([
      logEvent('longNested', T0 + 100, 'orders', 'info', 'long', { attributes: { deep: { v: long } } }),
      logEvent('longDotted', T0 + 101, 'orders', 'info', 'long', { attributes: { 'deep.v': long } }),
    ]);
    for (const leaves of [STORE_LEAVES, WALK_LEAVES, EVENTS_TABLE_LEAVES])
      expect(byLeaves(`attributes.deep.v:${long}`, leaves)).toEqual(['longDotted', 'longNested']);
    expect(await bySearch(`attributes.deep.v:${long}`, true)).toEqual(['longDotted', 'longNested']);
  });
});
