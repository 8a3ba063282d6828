import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createFileDeadLetterStore } from '../sinks/dead-letters/index.js';
import { createOpenSearchClient, createOpenSearchSink } from '../sinks/opensearch/index.js';
import { uniqueSegment } from '../test/factories/log-events.js';
import { dropPrefix, osJson } from '../test/factories/opensearch.js';
import { describeSearchBackend } from './contract.js';
import { createOpenSearchSearch } from './opensearch.js';

// The same contract as the SQLite store, on the real OpenSearch node, indexed by the production
// sink (its templates: keyword fields, `attributes` as flat_object), under a unique prefix.
describeSearchBackend('opensearch', async (events) => {
  const node = inject('opensearchUrl');
  const prefix = `sluice-logs-${uniqueSegment('search')}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-search-it-'));
  const client = createOpenSearchClient({ node });
  const sink = createOpenSearchSink({
    client,
    indexPrefix: prefix,
    config: { replicas: 0, retry_budget_ms: 10_000 },
    deadLetters: createFileDeadLetterStore(path.join(dir, 'dlq.ndjson')),
  });
  const add = async (more: readonly (typeof events)[number][]): Promise<void> => {
    const report = await sink.write(more);
    if (report.counts.indexed !== more.length) throw new Error(`indexed ${JSON.stringify(report.counts)}`);
    await osJson(`${node}/${prefix}-*/_refresh`, 'POST');
  };
  await add(events);
  return {
    backend: createOpenSearchSearch({ client, indexPattern: `${prefix}-*` }),
    add,
    dispose: async () => {
      await sink.close();
      await dropPrefix(node, prefix);
      await client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
