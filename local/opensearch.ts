import { createOpenSearchSearch } from '../search/opensearch.js';
import type { SearchBackend } from '../search/types.js';
import type { DeadLetterSink, EventSink } from '../sinks/contract.js';
import { createOpenSearchClient } from '../sinks/opensearch/client.js';
import { createOpenSearchSink } from '../sinks/opensearch/sink.js';
import type { StartConfig } from './config.js';

/**
 * The OpenSearch variant of `sluice start`'s store: the production sink (templates, bulk
 * accounting, dead letters) and the search API over `sluice-logs-*` on one client. Events are
 * searchable after the index refresh (1 s here, so the UI feels live).
 */
export async function openSearchParts(
  cfg: Extract<StartConfig['sink'], { kind: 'opensearch' }>,
  deadLetters: DeadLetterSink,
): Promise<{ sink: EventSink; search: SearchBackend }> {
  const client = createOpenSearchClient({
    node: cfg.url,
    ...(cfg.aws_region ? { aws: { region: cfg.aws_region, service: 'es' as const } } : {}),
  });
  const sink = createOpenSearchSink({
    client,
    deadLetters,
    config: { index_prefix: cfg.index_prefix, refresh_interval: '1s', replicas: 0 },
  });
  await sink.setup();
  const search = createOpenSearchSearch({ client, indexPattern: `${cfg.index_prefix}-*` });
  return {
    sink: {
      write: (events) => sink.write(events),
      close: async () => {
        await sink.close();
        await client.close();
      },
    },
    search,
  };
}
