import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PutRecordsCommand, PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFileDeadLetterStore } from '../sinks/dead-letters/file-store.js';
import { createKinesisClient } from '../sinks/kinesis/client.js';
import { decodeEventsRecord } from '../sinks/kinesis/codec.js';
import { partitionKeyFor } from '../sinks/kinesis/pack.js';
import type { PutRecordsClient } from '../sinks/kinesis/writer.js';
import type { MetricsLine } from '../test/e2e/kit.js';
import { createTestStream, motoConfig, readAllRecords, uniqueName } from '../test/factories/aws.js';
import { CONTROL_MESSAGE } from '../test/factories/cwl.js';
import { makeKinesisEvent } from '../test/factories/kinesis.js';
import { lettersIn } from '../test/factories/opensearch.js';
import { buildTransformHandler } from './wiring.js';

const kinesis = createKinesisClient(motoConfig(inject('awsEndpoint')));
let stream: Awaited<ReturnType<typeof createTestStream>>;
beforeAll(async () => {
  stream = await createTestStream(kinesis, uniqueName('sluice-transform'), 1);
});
afterAll(async () => {
  await stream.dispose();
  kinesis.destroy();
});

const payload = (group: string, lines: { id: string; message: string }[]) =>
  gzipSync(
    JSON.stringify({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: group,
      logStream: '2024/05/01/[$LATEST]abc',
      subscriptionFilters: ['sluice'],
      logEvents: lines.map((l, i) => ({ ...l, timestamp: 1_714_564_800_000 + i })),
    }),
  );
const control = gzipSync(JSON.stringify(CONTROL_MESSAGE));
const line = (tx: string, msg: string) =>
  JSON.stringify({ level: 30, time: 1_714_564_800_000, transactionId: tx, msg });

/** Fails every PutRecords entry whose partition key is in `keys` (fault injection on the real client). */
function failing(keys: Set<string>): PutRecordsClient {
  return {
    async send(
      command: PutRecordsCommand,
      options?: { abortSignal?: AbortSignal },
    ): Promise<PutRecordsCommandOutput> {
      const records = command.input.Records ?? [];
      const pass = records.filter((r) => !keys.has(r.PartitionKey ?? ''));
      const Ctor = command.constructor as typeof PutRecordsCommand;
      const real = pass.length
        ? await kinesis.send(new Ctor({ ...command.input, Records: pass }), options)
        : undefined;
      let j = 0;
      return {
        $metadata: {},
        FailedRecordCount: records.length - pass.length,
        Records: records.map((r) =>
          keys.has(r.PartitionKey ?? '')
            ? { ErrorCode: 'InternalFailure', ErrorMessage: 'injected' }
            : real!.Records![j++]!,
        ),
      };
    },
  };
}

async function setup(failKeys: string[] = [], sliceBytes?: number) {
  let putRecordsCalls = 0;
  const base: PutRecordsClient = failKeys.length ? failing(new Set(failKeys)) : kinesis;
  const counting: PutRecordsClient = {
    send(command: PutRecordsCommand, options?: { abortSignal?: AbortSignal }) {
      putRecordsCalls++;
      return base.send(command, options);
    },
  };
  const dir = await mkdtemp(join(tmpdir(), 'sluice-transform-'));
  const metrics: MetricsLine[] = [];
  const handler = buildTransformHandler({
    region: 'us-east-1',
    metricsNamespace: 'Test',
    deadLetters: createFileDeadLetterStore(join(dir, 'dlq.ndjson')),
    writeMetrics: (l) => metrics.push(JSON.parse(l) as MetricsLine),
    kinesis: counting as never,
    eventsStream: stream.name,
    putRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    ...(sliceBytes !== undefined ? { sliceBytes } : {}),
  });
  return { handler, metrics, dlq: join(dir, 'dlq.ndjson'), putRecordsCalls: () => putRecordsCalls };
}

describe('transform handler (real PutRecords into moto)', () => {
  it.each([
    ['in one slice', undefined],
    ['one event per slice', 1],
  ])(
    'isolates a poison record, skips control messages and reports the lowest undelivered record (%s)',
    async (_, sliceBytes) => {
      // Events go out under hashed bucket keys; only tx-doomed's bucket fails.
      const doomed = partitionKeyFor('tx-doomed');
      expect([partitionKeyFor('tx-ok'), partitionKeyFor('tx-fine')]).not.toContain(doomed);
      const { handler, metrics, dlq, putRecordsCalls } = await setup([doomed], sliceBytes);
      const poison = Buffer.from('definitely not gzip');
      const event = makeKinesisEvent([
        payload('/aws/lambda/a', [{ id: '1', message: line('tx-ok', 'first') }]),
        poison,
        control,
        payload('/aws/lambda/b', [
          { id: '2', message: line('tx-doomed', 'will not get through') },
          { id: '3', message: line('tx-fine', 'gets through') },
        ]),
        payload('/aws/lambda/c', [{ id: '4', message: line('tx-doomed', 'also stuck') }]),
      ]);
      const response = await handler(event);
      expect(response).toEqual({
        batchItemFailures: [{ itemIdentifier: event.Records[3]!.kinesis.sequenceNumber }],
      });
      const letters = await lettersIn(dlq);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ stage: 'ingest', original: { data: poison.toString('base64') } });
      expect(letters[0]!.error.code).toBe('INGEST_NOT_GZIP');
      expect(metrics).toHaveLength(1);
      expect(metrics[0]).toMatchObject({
        received: 5,
        controlMessages: 1,
        events: 4,
        forwarded: 2,
        deadLettered: 1,
        notDelivered: 2,
      });
      const stored = (await readAllRecords(kinesis, stream.name)).flatMap(
        (r) => decodeEventsRecord(r.data).events,
      );
      expect(stored.map((e) => e.message).sort()).toEqual(expect.arrayContaining(['first', 'gets through']));
      expect(stored.map((e) => e.message)).not.toContain('also stuck');
      // A slice is written before the next is built: with one event per slice the four events
      // make four writes, the two to the failing bucket retried once: 1 + 2 + 1 + 2.
      expect(putRecordsCalls()).toBe(sliceBytes === undefined ? 2 : 6);
    },
  );

  it('returns no failures when every event was forwarded, dropped or dead-lettered', async () => {
    const { handler, metrics } = await setup();
    const event = makeKinesisEvent([
      payload('/aws/lambda/a', [{ id: '9', message: line('tx-1', 'card 4111 1111 1111 1111') }]),
    ]);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(metrics[0]).toMatchObject({ forwarded: 1, redacted: 1, notDelivered: 0 });
  });
});
