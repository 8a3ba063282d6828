import { randomUUID } from 'node:crypto';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSinkHandler } from '../../lambda/wiring.js';
import { createTestStream, motoConfig, readAllRecords, uniqueName } from '../../test/factories/aws.js';
import { runSluice } from '../../test/factories/cli.js';
import { encodeCwlData, makeEnvelope } from '../../test/factories/cwl.js';
import { makeKinesisEvent } from '../../test/factories/kinesis.js';
import { makeLogEvents, uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, searchAll } from '../../test/factories/opensearch.js';
import { createFileDeadLetterStore } from '../dead-letters/file-store.js';
import { createKinesisClient } from '../kinesis/client.js';
import { createOpenSearchClient } from '../opensearch/client.js';

const node = inject('opensearchUrl');
const endpoint = inject('awsEndpoint');
const aws = motoConfig(endpoint);
const s3 = new S3Client({ ...aws, forcePathStyle: true });
const kinesis = createKinesisClient(aws);
const bucket = uniqueName('sluice-onfail');
const indexPrefix = `sluice-logs-${uniqueSegment('onfail')}`;
// No credentials in the environment: with --endpoint the CLI signs with local ones (moto takes any).
const env = {};
let raw: Awaited<ReturnType<typeof createTestStream>>;
let events: Awaited<ReturnType<typeof createTestStream>>;
let pointed: Awaited<ReturnType<typeof createTestStream>>;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  raw = await createTestStream(kinesis, uniqueName('sluice-onfail-raw'));
  events = await createTestStream(kinesis, uniqueName('sluice-onfail-events'));
  pointed = await createTestStream(kinesis, uniqueName('sluice-onfail-pointed'));
}, 120_000);
afterAll(async () => {
  const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const o of left.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  await raw.dispose();
  await events.dispose();
  await pointed.dispose();
  await dropPrefix(node, indexPrefix);
});

/** What Lambda writes to an S3 on-failure destination for a Kinesis batch (AWS docs' shape and key). */
function lambdaOnFailureObject(
  streamArn: string,
  payloads: readonly (string | Uint8Array)[],
  partitionKey?: string,
) {
  const event = makeKinesisEvent(payloads, { streamArn, ...(partitionKey ? { partitionKey } : {}) });
  const first = event.Records[0]!.kinesis;
  const last = event.Records[event.Records.length - 1]!.kinesis;
  const now = new Date();
  const body = {
    requestContext: {
      requestId: randomUUID(),
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sluice-sink:live',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    },
    responseContext: { statusCode: 200, executedVersion: '3', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: now.toISOString(),
    KinesisBatchInfo: {
      shardId: 'shardId-000000000000',
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: now.toISOString(),
      approximateArrivalOfLastRecord: now.toISOString(),
      batchSize: event.Records.length,
      streamArn,
    },
    payload: event,
  };
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  const stamp = now.toISOString().slice(0, 19).replaceAll(':', '.');
  const key = `aws/lambda/${randomUUID()}/shardId-000000000000/${day}/${stamp}-${randomUUID()}`;
  return { key, body };
}

async function put(key: string, body: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(body) }));
}

describe('sluice dlq replay of S3 on-failure records (moto + a real OpenSearch node)', () => {
  it('puts each failed batch back on its stream, the sink indexes it, and only what cannot be replayed stays', async () => {
    // A sink batch given up on: 3 records of 10 events each (plain NDJSON, as a sink reads it).
    const logEvents = makeLogEvents(30, {}, 7_000);
    const ndjson = [0, 1, 2].map((i) =>
      logEvents
        .slice(i * 10, i * 10 + 10)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    const sinkBatch = lambdaOnFailureObject(events.arn, ndjson);
    await put(sinkBatch.key, sinkBatch.body);
    // A transform batch given up on: one CloudWatch Logs subscription payload (gzip).
    const cwl = Buffer.from(encodeCwlData(makeEnvelope(['{"msg":"a"}', '{"msg":"b"}'])), 'base64');
    const transformBatch = lambdaOnFailureObject(raw.arn, [cwl], 'cwl-partition');
    await put(transformBatch.key, transformBatch.body);
    // What an SQS destination would have kept: a pointer only. And something that is not a record.
    const { payload: _payload, ...pointer } = lambdaOnFailureObject(events.arn, ['{}']).body;
    const pointerKey = `aws/lambda/${randomUUID()}/shardId-000000000000/2026/12/05/pointer`;
    await put(pointerKey, pointer);
    // A pointer whose records the stream still holds (what an SQS destination kept): resolved.
    const put3 = await kinesis.send(
      new PutRecordsCommand({
        StreamName: pointed.name,
        Records: ['one', 'two', 'three'].map((d) => ({ Data: Buffer.from(d), PartitionKey: `pk-${d}` })),
      }),
    );
    const seqs = (put3.Records ?? []).map((r) => r.SequenceNumber as string);
    const resolvable = lambdaOnFailureObject(pointed.arn, ['x']).body;
    const { payload: _p2, ...resolvablePointer } = {
      ...resolvable,
      KinesisBatchInfo: {
        ...resolvable.KinesisBatchInfo,
        shardId: 'shardId-000000000000',
        startSequenceNumber: seqs[1] as string,
        endSequenceNumber: seqs[2] as string,
        batchSize: 2,
      },
    };
    await put(`aws/lambda/${randomUUID()}/shardId-000000000000/2026/12/05/resolvable`, resolvablePointer);
    const junkKey = `aws/lambda/${randomUUID()}/junk`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: junkKey, Body: 'secret-token=abc' }));

    const res = await runSluice(
      ['dlq', 'replay', `s3://${bucket}/aws/lambda/`, '--endpoint', endpoint, '--aws-region', 'us-east-1'],
      { env },
    );
    expect(res.stdout).toContain('replayed 3 of 5 failed batches: 6 records back on their streams, 2 kept');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`kept s3://${bucket}/${pointerKey}: ON_FAILURE_RECORDS_MISSING`);
    expect(res.stderr).toContain(`kept s3://${bucket}/${junkKey}: ON_FAILURE_RECORD_INVALID`);
    expect(res.stderr).not.toContain('secret-token');

    // Only the two that could not be replayed are left in the bucket.
    const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((left.Contents ?? []).map((o) => o.Key).sort()).toEqual([pointerKey, junkKey].sort());

    // The pointed-at records were read from their stream and put on it again.
    const pointedRecords = await readAllRecords(kinesis, pointed.name);
    expect(pointedRecords.map((r) => [r.partitionKey, Buffer.from(r.data).toString()])).toEqual([
      ['pk-one', 'one'],
      ['pk-two', 'two'],
      ['pk-three', 'three'],
      ['pk-two', 'two'],
      ['pk-three', 'three'],
    ]);

    // The raw stream's record is back on the raw stream (for the transform), byte for byte.
    const rawRecords = await readAllRecords(kinesis, raw.name);
    expect(rawRecords.map((r) => [r.partitionKey, Buffer.from(r.data).equals(cwl)])).toEqual([
      ['cwl-partition', true],
    ]);

    // The events stream's records are back on the events stream; the sink indexes every event.
    const eventRecords = await readAllRecords(kinesis, events.name);
    expect(eventRecords).toHaveLength(3);
    const { handler, sink } = buildSinkHandler({
      region: 'us-east-1',
      metricsNamespace: 'Test',
      deadLetters: createFileDeadLetterStore(`/tmp/${uniqueSegment('onfail-dlq')}.ndjson`),
      writeMetrics: () => {},
      opensearch: createOpenSearchClient({ node, requestTimeoutMs: 5000 }),
      indexPrefix,
      retryBudgetMs: 5000,
    });
    try {
      const replayed = makeKinesisEvent(
        eventRecords.map((r) => r.data),
        { streamArn: events.arn },
      );
      expect(await handler(replayed)).toEqual({ batchItemFailures: [] });
    } finally {
      await sink.close();
    }
    const docs = await searchAll(node, indexPrefix);
    expect(docs.map((d) => d.source['message']).sort()).toEqual(logEvents.map((e) => e.message).sort());

    // A second replay finds only what it kept before, and keeps it again.
    const again = await runSluice(
      ['dlq', 'replay', `s3://${bucket}/aws/lambda/`, '--endpoint', endpoint, '--aws-region', 'us-east-1'],
      { env },
    );
    expect(again.stdout).toContain('replayed 0 of 2 failed batches');
    expect((await readAllRecords(kinesis, events.name)).length).toBe(3);
  }, 120_000);

  it('resolves the pointers an SQS on-failure queue kept from the stream, and deletes them once replayed', async () => {
    const sqs = new SQSClient(aws);
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sluice-onfail') })))
      .QueueUrl as string;
    try {
      const seq = (
        await kinesis.send(
          new PutRecordsCommand({
            StreamName: pointed.name,
            Records: [{ Data: Buffer.from('four'), PartitionKey: 'pk-four' }],
          }),
        )
      ).Records?.[0]?.SequenceNumber as string;
      const { payload: _p, ...metadata } = lambdaOnFailureObject(pointed.arn, ['x']).body;
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({
            ...metadata,
            KinesisBatchInfo: {
              ...metadata.KinesisBatchInfo,
              startSequenceNumber: seq,
              endSequenceNumber: seq,
              batchSize: 1,
            },
          }),
        }),
      );
      const res = await runSluice(
        ['dlq', 'replay', '--failed-batches', queueUrl, '--endpoint', endpoint, '--aws-region', 'us-east-1'],
        { env },
      );
      expect(res.stdout).toContain('replayed 1 of 1 failed batches: 1 records back on their streams, 0 kept');
      expect(res.code).toBe(0);
      const all = await readAllRecords(kinesis, pointed.name);
      expect(all.slice(-2).map((r) => Buffer.from(r.data).toString())).toEqual(['four', 'four']);
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      expect(attrs.Attributes).toMatchObject({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    } finally {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    }
  }, 120_000);
});
