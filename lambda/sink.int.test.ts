import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createFileDeadLetterStore } from '../sinks/dead-letters/file-store.js';
import { createOpenSearchClient } from '../sinks/opensearch/client.js';
import type { MetricsLine } from '../test/e2e/kit.js';
import { uniqueName } from '../test/factories/aws.js';
import { makeKinesisEvent, makeLogEvent } from '../test/factories/kinesis.js';
import { dropPrefix, lettersIn, searchAll } from '../test/factories/opensearch.js';
import { buildSinkHandler } from './wiring.js';

const opensearchUrl = inject('opensearchUrl');
const prefix = `sluice-logs-sinkh${uniqueName('').replace(/[^a-z0-9]/g, '')}`;
afterAll(() => dropPrefix(opensearchUrl, prefix));

const ndjson = (...events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n');

async function setup(node: string, retryBudgetMs = 2000, sliceBytes?: number) {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-sinkh-'));
  const metrics: MetricsLine[] = [];
  const warnings: { fields: object; msg: string }[] = [];
  const log = {
    info: () => undefined,
    warn: (fields: object, msg: string) => warnings.push({ fields, msg }),
    error: () => undefined,
  };
  const dlq = join(dir, 'dlq.ndjson');
  const { handler, sink } = buildSinkHandler({
    region: 'us-east-1',
    metricsNamespace: 'Test',
    deadLetters: createFileDeadLetterStore(dlq),
    writeMetrics: (l) => metrics.push(JSON.parse(l) as MetricsLine),
    opensearch: createOpenSearchClient({ node, requestTimeoutMs: 2000 }),
    indexPrefix: prefix,
    retryBudgetMs,
    log,
    ...(sliceBytes !== undefined ? { sliceBytes } : {}),
  });
  return { handler, sink, metrics, dlq, warnings };
}

describe('sink handler (real OpenSearch)', () => {
  it('indexes valid lines, dead-letters invalid ones and counts a retried record as duplicates', async () => {
    const { handler, sink, metrics, dlq } = await setup(opensearchUrl);
    const event = makeKinesisEvent([
      ndjson(makeLogEvent(1, { transactionId: 't1' }), makeLogEvent(2, { transactionId: 't1' })),
      `${ndjson(makeLogEvent(3))}\n{"message":"not an event, token=abc"}`,
    ]);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    await sink.close();
    expect(metrics[0]).toMatchObject({
      received: 2,
      events: 3,
      indexed: 3,
      deadLettered: 1,
      notDelivered: 0,
    });
    expect(metrics[1]).toMatchObject({ indexed: 0, duplicates: 3 });
    const docs = await searchAll(opensearchUrl, prefix);
    expect(docs.map((d) => d.source['message']).sort()).toEqual(['message 1', 'message 2', 'message 3']);
    const letters = await lettersIn(dlq);
    expect(letters[0]).toMatchObject({ stage: 'ingest', error: { code: 'KINESIS_RECORD_INVALID' } });
    expect(letters[0]!.error.message).not.toContain('abc');
  });

  it('reports the first record as failed when OpenSearch cannot be reached, and never throws', async () => {
    const { handler, sink, metrics, warnings } = await setup('http://127.0.0.1:1', 300);
    const event = makeKinesisEvent([ndjson(makeLogEvent(10)), ndjson(makeLogEvent(11))]);
    expect(await handler(event)).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!.kinesis.sequenceNumber }],
    });
    await sink.close();
    expect(metrics[0]).toMatchObject({ notDelivered: 2, indexed: 0 });
    // The log says why (by error code, never event content).
    expect(warnings).toEqual([
      {
        fields: { notDelivered: 2, byCode: { OPENSEARCH_SETUP_FAILED: 2 } },
        msg: 'events not delivered; their records will be retried',
      },
    ]);
  });

  it('writes a batch slice by slice, and stops at a slice that was not delivered', async () => {
    const ok = await setup(opensearchUrl, 2000, 1);
    const good = makeKinesisEvent([
      ndjson(makeLogEvent(20, { transactionId: 's1' })),
      `${ndjson(makeLogEvent(21))}\n{"message":"not an event"}`,
      ndjson(makeLogEvent(22), makeLogEvent(23)),
    ]);
    expect(await ok.handler(good)).toEqual({ batchItemFailures: [] });
    await ok.sink.close();
    expect(ok.metrics[0]).toMatchObject({
      received: 3,
      events: 4,
      indexed: 4,
      deadLettered: 1,
      notDelivered: 0,
    });
    const ids = (await searchAll(opensearchUrl, prefix)).map((d) => d.source['message']);
    expect(ids).toEqual(expect.arrayContaining(['message 20', 'message 21', 'message 22', 'message 23']));

    // Unreachable node, one record per slice: the first slice spends the retry budget and is
    // handed back; the later records are not written (the batch is retried from the first).
    const down = await setup('http://127.0.0.1:1', 300, 1);
    const event = makeKinesisEvent([
      ndjson(makeLogEvent(30)),
      ndjson(makeLogEvent(31)),
      ndjson(makeLogEvent(32)),
    ]);
    expect(await down.handler(event)).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!.kinesis.sequenceNumber }],
    });
    await down.sink.close();
    expect(down.metrics[0]).toMatchObject({ received: 3, events: 1, notDelivered: 1, indexed: 0 });
    expect(down.warnings.map((w) => w.msg)).toEqual([
      'events not delivered; their records will be retried',
      'records after an undelivered one not written; the batch is retried from it',
    ]);
    expect(down.warnings[1]!.fields).toEqual({ records: 2 });
  });
});
