import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DeadLetter, DeadLetterStore } from '../sinks/dead-letters/index.js';
import { motoConfig, uniqueName } from '../test/factories/aws.js';
import { makeLogEvent } from '../test/factories/kinesis.js';
import { createS3LetterStore, createSqsLetterStore } from './dead-letter-target.js';

const config = motoConfig(inject('awsEndpoint'));
const s3 = new S3Client({ ...config, forcePathStyle: true });
const sqs = new SQSClient(config);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup) await c().catch(() => undefined);
  s3.destroy();
  sqs.destroy();
});

const letters: DeadLetter[] = [
  {
    id: 'ingest:shard:1',
    at: '2024-05-01T00:00:00.000Z',
    stage: 'ingest',
    error: { code: 'INGEST_NOT_GZIP', message: 'x' },
    original: { data: 'AAEC' },
  },
  {
    id: 'filter:evt-1',
    at: '2024-05-01T00:00:01.000Z',
    stage: 'filter',
    error: { code: 'FILTER_RULE_FAILED', message: 'y' },
    original: makeLogEvent(1),
  },
];

async function roundTrip(store: DeadLetterStore): Promise<void> {
  await store.put(letters);
  const read: DeadLetter[] = [];
  for await (const { letter, ack } of store.read()) {
    read.push(letter);
    await ack();
  }
  expect(read.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
    [...letters].sort((a, b) => a.id.localeCompare(b.id)),
  );
  const again: DeadLetter[] = [];
  for await (const { letter } of store.read()) again.push(letter);
  expect(again).toEqual([]);
}

describe('Lambda dead-letter stores against moto', () => {
  it('stores, reads back and acknowledges letters in S3', async () => {
    const bucket = uniqueName('sluice-dlq').toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    cleanup.push(() => s3.send(new DeleteBucketCommand({ Bucket: bucket })));
    await roundTrip(createS3LetterStore({ client: s3, bucket }));
  });

  it('stores, reads back and acknowledges letters in SQS', async () => {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sluice-dlq') }));
    cleanup.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl: queue.QueueUrl })));
    await roundTrip(createSqsLetterStore({ client: sqs, queueUrl: queue.QueueUrl! }));
  });

  it('refuses an SQS letter over 256 KiB instead of losing it', async () => {
    const store = createSqsLetterStore({ client: sqs, queueUrl: 'http://127.0.0.1:5000/123456789012/none' });
    const big = { ...letters[1]!, original: makeLogEvent(2, { message: 'x'.repeat(300_000) }) };
    await expect(store.put([big])).rejects.toMatchObject({ code: 'DLQ_PUT_FAILED' });
  });
});
