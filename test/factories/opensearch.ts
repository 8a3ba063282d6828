import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFileDeadLetterStore } from '../../sinks/dead-letters/file-store.js';
import type { DeadLetter } from '../../sinks/dead-letters/types.js';
import { createOpenSearchClient } from '../../sinks/opensearch/client.js';
import { createOpenSearchSink } from '../../sinks/opensearch/sink.js';
import type { LogEvent } from '../../transform/schema.js';

/** JSON of `GET/POST url` (throws on a non-2xx answer). */
export async function osJson<T = unknown>(url: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Refreshes `<prefix>-*` and returns the `_source` of every hit matching `query` (default all). */
export async function searchAll(
  node: string,
  prefix: string,
  query: Record<string, unknown> = { match_all: {} },
): Promise<{ id: string; source: Record<string, unknown> }[]> {
  await osJson(`${node}/${prefix}-*/_refresh`, 'POST');
  const body = await osJson<{ hits: { hits: { _id: string; _source: Record<string, unknown> }[] } }>(
    `${node}/${prefix}-*/_search`,
    'POST',
    { query, size: 10_000 },
  );
  return body.hits.hits.map((h) => ({ id: h._id, source: h._source }));
}

/** Deletes the data streams and templates a test created under `prefix` (never anything else). */
export async function dropPrefix(node: string, prefix: string): Promise<void> {
  await fetch(`${node}/_data_stream/${prefix}-*`, { method: 'DELETE' });
  await fetch(`${node}/_index_template/${prefix}-template`, { method: 'DELETE' });
  for (const c of ['mappings', 'settings'])
    await fetch(`${node}/_component_template/${prefix}-${c}`, { method: 'DELETE' });
}

/** Every letter in an NDJSON dead-letter file. */
export async function lettersIn(file: string): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const { letter } of createFileDeadLetterStore(file).read()) out.push(letter);
  return out;
}

/**
 * An indexer over the production sink (its templates: keyword fields, `attributes` as flat_object)
 * under `prefix`: `add` indexes events (throwing unless all are indexed) and refreshes; `close`
 * closes the sink and client (the caller drops the prefix).
 */
export async function sinkIndexer(node: string, prefix: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-indexer-'));
  const client = createOpenSearchClient({ node });
  const sink = createOpenSearchSink({
    client,
    indexPrefix: prefix,
    config: { replicas: 0, retry_budget_ms: 10_000 },
    deadLetters: createFileDeadLetterStore(path.join(dir, 'dlq.ndjson')),
  });
  return {
    client,
    async add(events: readonly LogEvent[]): Promise<void> {
      const report = await sink.write(events);
      if (report.counts.indexed !== events.length)
        throw new Error(`indexed ${JSON.stringify(report.counts)}`);
      await osJson(`${node}/${prefix}-*/_refresh`, 'POST');
    },
    async close(): Promise<void> {
      await sink.close();
      await client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
