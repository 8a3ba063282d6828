/**
 * The same events on both search backends — an in-memory SQLite store and a fresh index prefix on
 * a real OpenSearch node — for integration tests that hold the two to the same answers.
 */
import { expect } from 'vitest';
import { createOpenSearchSearch } from '../../search/opensearch.js';
import { parseQuery } from '../../search/query.js';
import { createSqliteSearch } from '../../search/sqlite.js';
import type { SearchBackend } from '../../search/types.js';
import { openSqliteStore } from '../../sinks/sqlite/store.js';
import type { LogEvent } from '../../transform/schema.js';
import { uniqueSegment } from './log-events.js';
import { dropPrefix, sinkIndexer } from './opensearch.js';
import { T0 } from './search-events.js';

/** Both backends over the same events; `dispose` closes them and drops the index prefix. */
export interface BothBackends {
  readonly backends: readonly { readonly name: string; readonly backend: SearchBackend }[];
  dispose(): Promise<void>;
}

/**
 * Writes `events` to an in-memory SQLite store and indexes them under a new `sluice-logs-<name…>`
 * prefix on `node`; both searches count relative times (`now-1h`) from `now` when given.
 */
export async function bothBackends(
  node: string,
  events: readonly LogEvent[],
  name: string,
  now?: () => number,
): Promise<BothBackends> {
  const store = openSqliteStore({ path: ':memory:' });
  await store.write(events);
  const prefix = `sluice-logs-${uniqueSegment(name)}`;
  const indexer = await sinkIndexer(node, prefix);
  await indexer.add(events);
  const at = now ? { now } : {};
  return {
    backends: [
      { name: 'sqlite', backend: createSqliteSearch(store.db, at) },
      {
        name: 'opensearch',
        backend: createOpenSearchSearch({ client: indexer.client, indexPattern: `${prefix}-*`, ...at }),
      },
    ],
    async dispose() {
      store.close();
      await indexer.close();
      await dropPrefix(node, prefix);
    },
  };
}

/** Expects every backend to find exactly `expected` (event ids, newest first) for `q` in [T0, T0 + 1 min). */
export async function expectIdsOnBoth(
  both: BothBackends,
  q: string,
  expected: readonly string[],
): Promise<void> {
  for (const { name, backend } of both.backends) {
    const r = await backend.search({ query: parseQuery(q), from: T0, to: T0 + 60_000, limit: 50, offset: 0 });
    expect({ name, ids: r.events.map((e) => e.event.id), total: r.total }).toEqual({
      name,
      ids: expected,
      total: expected.length,
    });
  }
}
