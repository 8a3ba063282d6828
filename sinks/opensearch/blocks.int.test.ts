import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSinkHandler } from '../../lambda/wiring.js';
import type { MetricsLine } from '../../test/e2e/kit.js';
import { makeKinesisEvent } from '../../test/factories/kinesis.js';
import { makeLogEvents } from '../../test/factories/log-events.js';
import { lettersIn, osJson } from '../../test/factories/opensearch.js';
import { type OpenSearchNode, startOpenSearch } from '../../test/services/opensearch.js';
import { createFileDeadLetterStore } from '../dead-letters/file-store.js';
import { createOpenSearchClient } from './client.js';
import { createOpenSearchSink } from './sink.js';

// A node of its own (never the shared one): its indices and the cluster are write-blocked here.
// A write block — set by an operator, or `read_only_allow_delete` set by OpenSearch when the disk
// passes the flood-stage watermark — is back-pressure: retried, then handed back, never a letter.
const prefix = 'sluice-logs-blocks';

describe('a node whose writes are blocked', () => {
  let node: OpenSearchNode;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-blocks-'));
    node = await startOpenSearch();
  });
  afterAll(async () => {
    await node?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const settings = (target: string, body: Record<string, unknown>): Promise<unknown> =>
    osJson(`${node.url}/${target}/_settings`, 'PUT', body);
  const count = async (p: string): Promise<number> => {
    await osJson(`${node.url}/${p}-*/_refresh`, 'POST');
    return (await osJson<{ count: number }>(`${node.url}/${p}-*/_count`)).count;
  };
  /** Distinct `event.id`s indexed under `p` equals the number of documents: no duplicates. */
  const distinctIds = async (p: string): Promise<number> => {
    const body = await osJson<{ aggregations: { ids: { value: number } } }>(
      `${node.url}/${p}-*/_search`,
      'POST',
      { size: 0, aggs: { ids: { cardinality: { field: 'event.id', precision_threshold: 40_000 } } } },
    );
    return body.aggregations.ids.value;
  };

  it('retries through an index write block and indexes everything once it is lifted: no letters, no duplicates', async () => {
    const p = `${prefix}-a`;
    const dlq = path.join(dir, 'a.ndjson');
    const sink = createOpenSearchSink({
      node: node.url,
      indexPrefix: p,
      config: {
        replicas: 0,
        max_bulk_docs: 200,
        base_delay_ms: 50,
        max_delay_ms: 500,
        retry_budget_ms: 60_000,
      },
      deadLetters: createFileDeadLetterStore(dlq),
    });
    const first = makeLogEvents(100, { service: { name: 'blocked' } });
    expect((await sink.write(first)).counts.indexed).toBe(100); // the data stream exists
    await settings(`${p}-blocked`, { 'index.blocks.write': true });
    const rest = makeLogEvents(3_000, { service: { name: 'blocked' } }, 100);
    const writing = sink.write(rest);
    await new Promise((r) => setTimeout(r, 3_000)); // the block holds for 3 s of retries
    await settings(`${p}-blocked`, { 'index.blocks.write': false });
    const report = await writing;
    await sink.close();
    expect(report.counts).toEqual({ indexed: 3_000, duplicate: 0, dead_lettered: 0, not_delivered: 0 });
    expect(await lettersIn(dlq)).toEqual([]);
    expect(await count(p)).toBe(3_100);
    expect(await distinctIds(p)).toBe(3_100);
  });

  it('hands a batch back as not delivered while a full disk keeps the index read-only, and the sink Lambda asks Kinesis to retry it', async () => {
    const p = `${prefix}-b`;
    const dlq = path.join(dir, 'b.ndjson');
    const metrics: MetricsLine[] = [];
    const opensearch = createOpenSearchClient({ node: node.url, requestTimeoutMs: 5_000 });
    const { handler, sink } = buildSinkHandler({
      region: 'us-east-1',
      metricsNamespace: 'Test',
      deadLetters: createFileDeadLetterStore(dlq),
      writeMetrics: (l) => metrics.push(JSON.parse(l) as MetricsLine),
      opensearch,
      indexPrefix: p,
      retryBudgetMs: 1_500,
    });
    const events = makeLogEvents(500, { service: { name: 'full' } });
    const lines = (from: number, to: number): string =>
      events
        .slice(from, to)
        .map((e) => JSON.stringify(e))
        .join('\n');
    const seed = makeKinesisEvent([lines(0, 10)]);
    expect(await handler(seed)).toEqual({ batchItemFailures: [] }); // the data stream exists
    // What OpenSearch sets on every index when the disk passes the flood-stage watermark.
    await settings(`${p}-full`, { 'index.blocks.read_only_allow_delete': true });
    const batch = makeKinesisEvent([lines(10, 200), lines(200, 500)]);
    expect(await handler(batch)).toEqual({
      batchItemFailures: [{ itemIdentifier: batch.Records[0]?.kinesis.sequenceNumber }],
    });
    expect(metrics[1]).toMatchObject({ events: 490, indexed: 0, deadLettered: 0, notDelivered: 490 });
    expect(await lettersIn(dlq)).toEqual([]);
    // The disk is freed and the block lifted; Kinesis delivers the records again.
    await settings(`${p}-full`, { 'index.blocks.read_only_allow_delete': null });
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    expect(metrics[2]).toMatchObject({ indexed: 490, deadLettered: 0, notDelivered: 0 });
    await sink.close();
    await opensearch.close();
    expect(await lettersIn(dlq)).toEqual([]);
    expect(await count(p)).toBe(500);
    expect(await distinctIds(p)).toBe(500);
  });

  it('treats a cluster-wide read-only block like an index block: handed back with its reason, never dead-lettered', async () => {
    const p = `${prefix}-c`;
    const dlq = path.join(dir, 'c.ndjson');
    const sink = createOpenSearchSink({
      node: node.url,
      indexPrefix: p,
      config: { replicas: 0, base_delay_ms: 50, max_delay_ms: 200, retry_budget_ms: 1_000 },
      deadLetters: createFileDeadLetterStore(dlq),
    });
    const events = makeLogEvents(50, { service: { name: 'ro' } });
    expect((await sink.write(events.slice(0, 5))).counts.indexed).toBe(5);
    await osJson(`${node.url}/_cluster/settings`, 'PUT', {
      persistent: { 'cluster.blocks.read_only': true },
    });
    try {
      const blocked = await sink.write(events.slice(5));
      expect(blocked.counts).toEqual({ indexed: 0, duplicate: 0, dead_lettered: 0, not_delivered: 45 });
      expect(blocked.failures.every((f) => f.code === 'OPENSEARCH_RETRY_BUDGET_EXHAUSTED')).toBe(true);
      expect(blocked.failures[0]?.message).toMatch(/cluster_block_exception/);
    } finally {
      await osJson(`${node.url}/_cluster/settings`, 'PUT', {
        persistent: { 'cluster.blocks.read_only': null },
      });
    }
    const again = await sink.write(events.slice(5));
    await sink.close();
    expect(again.counts).toEqual({ indexed: 45, duplicate: 0, dead_lettered: 0, not_delivered: 0 });
    expect(await lettersIn(dlq)).toEqual([]);
    expect(await count(p)).toBe(50);
  });
});
