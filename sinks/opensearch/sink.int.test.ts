import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeLogEvent, makeLogEvents, uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, lettersIn, osJson, searchAll } from '../../test/factories/opensearch.js';
import type { LogEvent } from '../../transform/schema.js';
import { createFileDeadLetterStore } from '../dead-letters/index.js';
import { createOpenSearchSink, type OpenSearchSink } from './index.js';

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
