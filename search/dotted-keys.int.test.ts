import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { uniqueSegment } from '../test/factories/log-events.js';
import { dropPrefix, sinkIndexer } from '../test/factories/opensearch.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import type { LogEvent } from '../transform/schema.js';
import { createOpenSearchSearch } from './opensearch.js';
import { parseQuery } from './query.js';
import { createSqliteSearch } from './sqlite.js';
import type { SearchBackend } from './types.js';

/** Attribute keys with dots in each stored form; ids d01…d08 in time order. */
function dottedFixture(): LogEvent[] {
  const attributes: Record<string, unknown>[] = [
    { deep: { v: 'v1' } },
    { 'deep.v': 'v1' },
    { deep: { v: ['v2', 'v1'] } },
    { deep: [{ v: 'v1' }] },
    { 'a.b': { c: 'x' } },
    { a: { 'b.c': 'y' } },
    { a: { b: { c: 'z' } } },
    { other: 'v1' },
  ];
  return attributes.map((a, i) =>
    logEvent(`d0${i + 1}`, T0 + (i + 1) * 1000, 'orders', 'info', 'm', { attributes: a }),
  );
}

/** The ids (newest first) both backends return. */
const CASES: readonly (readonly [string, readonly string[]])[] = [
  ['attributes.deep.v:v1', ['d04', 'd03', 'd02', 'd01']],
  ['attributes.deep.v:v*', ['d04', 'd03', 'd02', 'd01']],
  ['-attributes.deep.v:v1', ['d08', 'd07', 'd06', 'd05']],
  ['-attributes.deep.v:v*', ['d08', 'd07', 'd06', 'd05']],
  ['attributes.a.b.c:x', ['d05']],
  ['attributes.a.b.c:y', ['d06']],
  ['attributes.a.b.c:*', ['d07', 'd06', 'd05']],
  ['attributes.a.b.c:x,y,z', ['d07', 'd06', 'd05']],
];

describe('attributes.* keys with dots on both backends (SQLite store and a real OpenSearch node)', () => {
  let store: SqliteStore;
  let backends: { name: string; backend: SearchBackend }[];
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const events = dottedFixture();
    store = openSqliteStore({ path: ':memory:' });
    await store.write(events);
    const node = inject('opensearchUrl');
    const prefix = `sluice-logs-${uniqueSegment('dotted')}`;
    const indexer = await sinkIndexer(node, prefix);
    await indexer.add(events);
    backends = [
      { name: 'sqlite', backend: createSqliteSearch(store.db) },
      {
        name: 'opensearch',
        backend: createOpenSearchSearch({ client: indexer.client, indexPattern: `${prefix}-*` }),
      },
    ];
    dispose = async () => {
      await indexer.close();
      await dropPrefix(node, prefix);
    };
  });
  afterAll(async () => {
    store?.close();
    await dispose?.();
  });

  it.each(CASES)('%s', async (q, expected) => {
    for (const { name, backend } of backends) {
      const r = await backend.search({
        query: parseQuery(q),
        from: T0,
        to: T0 + 60_000,
        limit: 50,
        offset: 0,
      });
      expect({ name, ids: r.events.map((e) => e.event.id), total: r.total }).toEqual({
        name,
        ids: expected,
        total: expected.length,
      });
    }
  });
});
