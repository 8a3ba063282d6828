import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLogEvent, makeLogEvents } from '../../test/factories/log-events.js';
import { lettersIn, osJson, searchAll } from '../../test/factories/opensearch.js';
import { type OpenSearchNode, startOpenSearch } from '../../test/services/opensearch.js';
import type { DeliveryResult } from '../contract.js';
import { createFileDeadLetterStore } from '../dead-letters/file-store.js';
import { createOpenSearchClient } from './client.js';
import { createOpenSearchSink } from './sink.js';

// Own nodes with fault-inducing settings (never the shared one). One node serves both the 413
// and the 429 cases; a second one is stopped and restarted.
const prefix = 'sluice-logs-faults';

describe('a node with a small http.max_content_length and a one-thread, one-slot write pool', () => {
  let node: OpenSearchNode;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-faults-'));
    node = await startOpenSearch({
      settings: {
        'http.max_content_length': '64kb',
        'thread_pool.write.size': 1,
        'thread_pool.write.queue_size': 1,
      },
    });
  });
  afterAll(async () => {
    await node?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('splits requests the node refuses with 413 and dead-letters a document too large on its own', async () => {
    const dlq = path.join(dir, '413.ndjson');
    const sink = createOpenSearchSink({
      node: node.url,
      indexPrefix: `${prefix}-a`,
      config: { replicas: 0, max_bulk_bytes: 4 * 1024 * 1024, concurrency: 1 },
      deadLetters: createFileDeadLetterStore(dlq),
    });
    const events = makeLogEvents(400, { service: { name: 'split' } });
    const huge = makeLogEvent(9999, { service: { name: 'split' }, message: 'x'.repeat(100 * 1024) });
    const all = [...events.slice(0, 200), huge, ...events.slice(200)];
    const report = await sink.write(all);
    await sink.close();
    expect(report.counts).toEqual({ indexed: 400, duplicate: 0, dead_lettered: 1, not_delivered: 0 });
    expect(report.results[200]).toBe('dead_lettered');
    expect(report.failures).toEqual([
      expect.objectContaining({ index: 200, code: 'OPENSEARCH_DOCUMENT_TOO_LARGE' }),
    ]);
    expect(await searchAll(node.url, `${prefix}-a`)).toHaveLength(400);
    const letters = await lettersIn(dlq);
    expect(letters.map((l) => l.original)).toEqual([huge]);
  });

  it('retries the 429s of an overloaded write pool until every document is in', async () => {
    const stats = async (): Promise<number> => {
      const body = await osJson<{ nodes: Record<string, { thread_pool: { write: { rejected: number } } }> }>(
        `${node.url}/_nodes/stats/thread_pool`,
      );
      return Object.values(body.nodes).reduce((n, s) => n + s.thread_pool.write.rejected, 0);
    };
    const before = await stats();
    const sink = createOpenSearchSink({
      node: node.url,
      indexPrefix: `${prefix}-b`,
      config: {
        replicas: 0,
        max_bulk_docs: 10,
        concurrency: 8,
        base_delay_ms: 20,
        max_delay_ms: 500,
        retry_budget_ms: 60_000,
      },
    });
    await sink.setup();
    const events = makeLogEvents(600, { service: { name: 'busy' } });
    const report = await sink.write(events);
    await sink.close();
    expect(await stats()).toBeGreaterThan(before); // the node really pushed back
    expect(report.counts).toEqual({ indexed: 600, duplicate: 0, dead_lettered: 0, not_delivered: 0 });
    expect(await searchAll(node.url, `${prefix}-b`)).toHaveLength(600);
  });
});

describe('a node stopped in the middle of a write', () => {
  let basePath: string;
  let node: OpenSearchNode | undefined;
  beforeAll(async () => {
    basePath = await mkdtemp(path.join(os.tmpdir(), 'sluice-restart-'));
    node = await startOpenSearch({ basePath });
  });
  afterAll(async () => {
    await node?.stop();
    await rm(basePath, { recursive: true, force: true });
  });

  it('reports what did not arrive as not delivered, and a re-send after restart loses nothing', async () => {
    const first = node as OpenSearchNode;
    const client = createOpenSearchClient({ node: first.url, requestTimeoutMs: 5_000 });
    const sink = createOpenSearchSink({
      client,
      indexPrefix: `${prefix}-c`,
      config: { replicas: 0, max_bulk_docs: 50, concurrency: 1, retry_budget_ms: 3_000 },
    });
    await sink.setup();
    // Enough requests (400 of 50 documents, one at a time) that the write is still running when the
    // node goes away, even on a quiet machine.
    const events = makeLogEvents(20_000, { service: { name: 'restart' } });
    const writing = sink.write(events);
    // Stop the node once it has indexed a few bulk requests' worth. The node's indexing counter moves
    // at once (a `_count` waits for a refresh, by when a fast machine may have sent everything).
    for (;;) {
      const stats = await fetch(`${first.url}/_nodes/stats/indices/indexing`).then(
        (r) =>
          r.json() as Promise<{ nodes: Record<string, { indices: { indexing: { index_total: number } } }> }>,
      );
      const indexed = Object.values(stats.nodes).reduce((n, s) => n + s.indices.indexing.index_total, 0);
      if (indexed >= 500) break; // some bulk requests answered, most still to send
      await new Promise((r) => setTimeout(r, 10));
    }
    // A crash, not a graceful stop: a node shutting down keeps serving for a moment, and a fast
    // machine finishes the whole write in that moment. SIGKILL cuts it off at once.
    process.kill(first.pid, 'SIGKILL');
    await first.stop();
    const report = await writing;
    await client.close();
    expect(report.counts.indexed).toBeGreaterThan(0);
    expect(report.counts.not_delivered).toBeGreaterThan(0);
    expect(report.counts.indexed + report.counts.not_delivered).toBe(events.length);
    expect(report.failures.every((f) => f.code === 'OPENSEARCH_RETRY_BUDGET_EXHAUSTED')).toBe(true);

    node = await startOpenSearch({ basePath });
    const again = createOpenSearchSink({
      node: node.url,
      indexPrefix: `${prefix}-c`,
      config: { replicas: 0 },
    });
    const retry = events.filter((_, i) => report.results[i] === 'not_delivered');
    const second = await again.write(retry);
    const indexedBefore = events.filter((_, i) => report.results[i] === 'indexed');
    const third = await again.write(indexedBefore);
    await again.close();
    expect(second.results.every((r: DeliveryResult) => r === 'indexed' || r === 'duplicate')).toBe(true);
    expect(third.counts.duplicate).toBe(indexedBefore.length);
    await osJson(`${node.url}/${prefix}-c-*/_refresh`, 'POST');
    const count = await osJson<{ count: number }>(`${node.url}/${prefix}-c-*/_count`, 'POST');
    expect(count.count).toBe(events.length);
    // The body starts a second node (30–60 s on a loaded 2-core machine) besides the write itself.
  }, 300_000);
});
