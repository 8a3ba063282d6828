import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeLogEvent, makeLogEvents, uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, lettersIn, osJson, searchAll } from '../../test/factories/opensearch.js';
import type { LogEvent } from '../../transform/schema.js';
import { createFileDeadLetterStore } from '../dead-letters/file-store.js';
import { createOpenSearchClient } from './client.js';
import { createOpenSearchSink, type OpenSearchSink } from './sink.js';

// Against the shared real node (no ISM plugin), under a unique prefix that is removed afterwards.
const node = inject('opensearchUrl');
const prefix = `sluice-logs-${uniqueSegment('it')}`;
let dir: string;
let dlqFile: string;
let sink: OpenSearchSink;
const notices: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-sink-it-'));
  dlqFile = path.join(dir, 'dead-letters.ndjson');
  sink = createOpenSearchSink({
    node,
    indexPrefix: prefix,
    config: { replicas: 0, retry_budget_ms: 5_000 },
    deadLetters: createFileDeadLetterStore(dlqFile),
    onNotice: (n) => notices.push(n),
  });
});
afterAll(async () => {
  await sink?.close();
  await dropPrefix(node, prefix);
  await rm(dir, { recursive: true, force: true });
});

describe('setup', () => {
  it('installs the templates idempotently and skips ISM with a notice on a node without it', async () => {
    const first = await sink.setup();
    const second = await sink.setup();
    expect(second).toEqual(first);
    expect(first.ism).toBe('skipped');
    expect(notices.join('\n')).toMatch(/ISM is not available/);
    const tpl = await osJson<{ index_templates: { index_template: { index_patterns: string[] } }[] }>(
      `${node}/_index_template/${prefix}-template`,
    );
    expect(tpl.index_templates[0]?.index_template.index_patterns).toEqual([`${prefix}-*`]);
  });
});

describe('write', () => {
  const events = [
    ...makeLogEvents(30),
    ...makeLogEvents(10, { service: { name: 'Billing' }, transaction: { id: 'tx-billing-1' } }, 1000),
  ];

  it('indexes every event into per-service data streams and reads them back by transaction.id', async () => {
    const report = await sink.write(events);
    expect(report.counts).toEqual({ indexed: 40, duplicate: 0, dead_lettered: 0, not_delivered: 0 });
    expect(report.results).toEqual(events.map(() => 'indexed'));
    const hits = await searchAll(node, prefix, { term: { 'transaction.id': 'tx-billing-1' } });
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => (h.source.service as { name: string }).name === 'Billing')).toBe(true);
    const streams = await osJson<{ data_streams: { name: string }[] }>(`${node}/_data_stream/${prefix}-*`);
    expect(streams.data_streams.map((d) => d.name).sort()).toEqual([`${prefix}-billing`, `${prefix}-orders`]);
  });

  it('writes nothing twice: a second run reports duplicates and the count stays', async () => {
    const report = await sink.write(events);
    expect(report.counts).toEqual({ indexed: 0, duplicate: 40, dead_lettered: 0, not_delivered: 0 });
    expect(await searchAll(node, prefix)).toHaveLength(40);
  });

  it('heals mapping conflicts in place and keeps the offending values in quarantine', async () => {
    const bad = [
      makeLogEvent(5001, {
        lambda: { platform: 'report', report: { duration_ms: 'twelve' as unknown as number } },
        transaction: { id: 'tx-heal' },
      }),
      { ...makeLogEvent(5002, { transaction: { id: 'tx-heal' } }), colour: 'red' } as LogEvent,
      makeLogEvent(5003, {
        transaction: { id: 'tx-heal' },
        service: { name: { nested: true } as unknown as string },
      }),
      makeLogEvent(5004, { transaction: { id: 'tx-heal' } }),
    ];
    const report = await sink.write(bad);
    expect(report.results).toEqual(['indexed', 'indexed', 'indexed', 'indexed']);
    expect(report.healed).toBe(3);
    const hits = await searchAll(node, prefix, { term: { 'transaction.id': 'tx-heal' } });
    const quarantined = hits.map((h) => h.source.quarantine).filter(Boolean);
    expect(quarantined).toEqual(
      expect.arrayContaining([
        { 'lambda.report.duration_ms': 'twelve' },
        { colour: 'red' },
        { 'service.name': '{"nested":true}' },
      ]),
    );
    const byField = await searchAll(node, prefix, { term: { quarantine_fields: 'colour' } });
    expect(byField).toHaveLength(1);
  });

  it('dead-letters only what cannot be indexed, with the original event and the error', async () => {
    const unindexable = makeLogEvent(6001, { '@timestamp': 'not-a-date' });
    const fine = makeLogEvent(6002);
    const report = await sink.write([unindexable, fine]);
    expect(report.results).toEqual(['dead_lettered', 'indexed']);
    const letters = await lettersIn(dlqFile);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      stage: 'sink',
      original: unindexable,
      error: { code: 'OPENSEARCH_DOCUMENT_REJECTED' },
    });
    expect(letters[0]?.error.message).not.toContain('not-a-date');
  });

  it('hands events back as not delivered (never dropped) when no dead-letter store is configured', async () => {
    const bare = createOpenSearchSink({ node, indexPrefix: prefix, config: { replicas: 0 } });
    const report = await bare.write([makeLogEvent(7001, { '@timestamp': 'nope' })]);
    await bare.close();
    expect(report.results).toEqual(['not_delivered']);
    expect(report.failures[0]?.message).toMatch(/no dead-letter store/);
  });
});

describe('values of any size', () => {
  const big = (c: string, n: number): string => c.repeat(n);
  const longKey = `k${big('e', 20_000)}`;
  const longBody = `begin ${big('x', 40_000)} end`;
  const longEmoji = big('😀', 12_000); // 48,000 UTF-8 bytes: a cut must not split a character
  const events = [
    makeLogEvent(8001, {
      transaction: { id: 'tx-huge' },
      trace: { id: big('t', 50_000) }, // a keyword field: over ignore_above, stored, not indexed
      message: `huge line ${big('word ', 60_000)}`, // 300 KB of message (a text field)
      error: {
        type: 'Error',
        message: `boom ${big('why ', 50_000)}`,
        stack_trace: `Error: boom\n${big('    at frame (file.js:1:1)\n', 10_000)}`, // ~280 KB
      },
    }),
    makeLogEvent(8002, {
      transaction: { id: 'tx-huge' },
      attributes: { http: { body: longBody, status: 500 }, emoji: longEmoji, [longKey]: 'v' },
    }),
    makeLogEvent(8003, {
      transaction: { id: 'tx-huge' },
      attributes: { list: ['short', big('y', 33_000)], nested: { deep: { text: big('z', 100_000) } } },
    }),
    makeLogEvent(8004, { transaction: { id: 'tx-huge' }, message: big('m', 900_000) }), // a ~1 MB line
  ];

  it('indexes every event, keeps every value whole in the document, and cut values stay searchable', async () => {
    const report = await sink.write(events);
    expect(report.results).toEqual(['indexed', 'indexed', 'indexed', 'indexed']);
    expect(report.healed).toBe(2);
    const hits = await searchAll(node, prefix, { term: { 'transaction.id': 'tx-huge' } });
    const byId = new Map(hits.map((h) => [(h.source.event as { id: string }).id, h.source]));
    const doc = (i: number): Record<string, unknown> =>
      byId.get((events[i] as LogEvent).event.id) as Record<string, unknown>;
    // Text fields and the stored stack trace keep everything.
    expect(doc(0).message).toBe(events[0]?.message);
    expect(doc(0).error).toEqual(events[0]?.error);
    expect(doc(0).trace).toEqual(events[0]?.trace);
    expect(doc(3).message).toBe(events[3]?.message);
    // Cut attributes: the beginning stays in `attributes`, the whole value in `quarantine`.
    const q1 = doc(1).quarantine as Record<string, string>;
    expect(q1['attributes.http.body']).toBe(longBody);
    expect(q1['attributes.emoji']).toBe(longEmoji);
    expect(q1[`attributes.${longKey}`]).toBe('v');
    const a1 = doc(1).attributes as { http: { body: string; status: number }; emoji: string };
    expect(a1.http.status).toBe(500);
    expect(longBody.startsWith(a1.http.body)).toBe(true);
    expect(longEmoji.startsWith(a1.emoji)).toBe(true);
    const q2 = doc(2).quarantine as Record<string, string>;
    expect(JSON.parse(q2['attributes.list'] as string)).toEqual(events[2]?.attributes?.list);
    expect(q2['attributes.nested.deep.text']).toBe(big('z', 100_000));
    // Searchable: by the cut value's beginning, and by which fields were cut.
    const prefixHits = await searchAll(node, prefix, {
      prefix: { 'attributes.http.body': 'begin xxx' },
    });
    expect(prefixHits.map((h) => (h.source.event as { id: string }).id)).toEqual([events[1]?.event.id]);
    const cut = await searchAll(node, prefix, { term: { quarantine_fields: 'attributes.nested.deep.text' } });
    expect(cut).toHaveLength(1);
  });
});

describe('dedup across data-stream rollover', () => {
  const stream = `${prefix}-rolled`;
  const rollover = (): Promise<unknown> => osJson(`${node}/${stream}/_rollover`, 'POST');
  const count = async (): Promise<number> => {
    await osJson(`${node}/${stream}/_refresh`, 'POST');
    return (await osJson<{ count: number }>(`${node}/${stream}/_count`)).count;
  };

  it('reports an event delivered again after one or more rollovers as duplicate, never a second document', async () => {
    const first = makeLogEvents(100, { service: { name: 'rolled' } }, 20_000);
    expect((await sink.write(first)).counts.indexed).toBe(100);
    await rollover();
    const fresh = makeLogEvents(10, { service: { name: 'rolled' } }, 20_100);
    const again = await sink.write([...first, ...fresh]);
    expect(again.counts).toEqual({ indexed: 10, duplicate: 100, dead_lettered: 0, not_delivered: 0 });
    expect(again.results.slice(100)).toEqual(fresh.map(() => 'indexed'));
    await count(); // rollovers are hours apart in production: the backing indices are refreshed by then
    await rollover();
    await rollover(); // now in the fourth backing index: the older ones are searched
    const third = await sink.write([...fresh, ...first]);
    expect(third.counts).toEqual({ indexed: 0, duplicate: 110, dead_lettered: 0, not_delivered: 0 });
    expect(await count()).toBe(110);
  });

  it('reads the streams once for a run of writes, and still sees a rollover in the middle of the run', async () => {
    const client = createOpenSearchClient({ node });
    const reads: string[] = [];
    client.on('response', (_err, result) => {
      const path = result?.meta.request.params.path ?? '';
      if (path.startsWith('/_data_stream')) reads.push(path);
    });
    const cached = createOpenSearchSink({ client, indexPrefix: prefix, config: { replicas: 0 } });
    const cachedStream = `${prefix}-cached`;
    const total = async (): Promise<number> => {
      await osJson(`${node}/${cachedStream}/_refresh`, 'POST');
      return (await osJson<{ count: number }>(`${node}/${cachedStream}/_count`)).count;
    };
    try {
      const batches = [0, 1, 2, 3].map((b) =>
        makeLogEvents(40, { service: { name: 'cached' } }, 30_000 + 40 * b),
      );
      expect((await cached.write(batches[0]!)).counts.indexed).toBe(40);
      expect((await cached.write(batches[1]!)).counts.indexed).toBe(40);
      const before = reads.length;
      expect((await cached.write(batches[2]!)).counts.indexed).toBe(40);
      expect(reads.length).toBe(before); // the stream is known: no GET _data_stream for this write
      await osJson(`${node}/${cachedStream}/_rollover`, 'POST'); // behind the sink's back
      // Delivered again after the rollover, with new events: the answer shows the new backing index,
      // the copies made there are found earlier and deleted again.
      const again = await cached.write([...batches[1]!, ...batches[3]!]);
      expect(again.counts).toEqual({ indexed: 40, duplicate: 40, dead_lettered: 0, not_delivered: 0 });
      expect(again.results.slice(40)).toEqual(batches[3]!.map(() => 'indexed'));
      expect(reads.length).toBeGreaterThan(before);
      const third = await cached.write([...batches[0]!, ...batches[3]!]); // now checked before the write
      expect(third.counts).toEqual({ indexed: 0, duplicate: 80, dead_lettered: 0, not_delivered: 0 });
      expect(await total()).toBe(160);
      const hits = (await searchAll(node, prefix)).filter(
        (h) => (h.source.service as { name?: string }).name === 'cached',
      );
      expect(hits).toHaveLength(160);
      expect(new Set(hits.map((h) => (h.source.event as { id: string }).id)).size).toBe(160); // no event twice
    } finally {
      await cached.close();
      await client.close();
    }
  });

  it('finds documents the previous backing index has not refreshed yet (realtime lookup)', async () => {
    const events = makeLogEvents(50, { service: { name: 'rolled' } }, 21_000);
    expect((await sink.write(events)).counts.indexed).toBe(50);
    await rollover(); // at once: within the 5 s refresh interval, nothing searchable yet
    const again = await sink.write(events);
    expect(again.counts).toEqual({ indexed: 0, duplicate: 50, dead_lettered: 0, not_delivered: 0 });
    expect(await count()).toBe(160);
  });
});
