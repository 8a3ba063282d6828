import { inject } from 'vitest';
import { describeSearchBackend } from '../test/contracts/search-backend.js';
import { uniqueSegment } from '../test/factories/log-events.js';
import { dropPrefix, sinkIndexer } from '../test/factories/opensearch.js';
import { createOpenSearchSearch } from './opensearch.js';

// The same contract as the SQLite store, on the real OpenSearch node, indexed by the production
// sink (its templates: keyword fields, `attributes` as flat_object), under a unique prefix.
describeSearchBackend('opensearch', async (events) => {
  const node = inject('opensearchUrl');
  const prefix = `sluice-logs-${uniqueSegment('search')}`;
  const indexer = await sinkIndexer(node, prefix);
  await indexer.add(events);
  return {
    backend: createOpenSearchSearch({ client: indexer.client, indexPattern: `${prefix}-*` }),
    add: indexer.add,
    dispose: async () => {
      await indexer.close();
      await dropPrefix(node, prefix);
    },
  };
});
