import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { motoConfig, uniqueName } from '../../test/factories/aws.js';
import { createFileDeadLetterStore } from './file-store.js';
import { createS3DeadLetterStore } from './s3-store.js';
import { createSqsDeadLetterStore } from './sqs-store.js';
import type { DeadLetter, DeadLetterStore } from './types.js';

// The same concurrency test for every dead-letter store (file; S3 and SQS on moto): many batches
// dead-lettered at once come back whole — every letter, byte for byte, nothing unreadable.
const aws = motoConfig(inject('awsEndpoint'));
const s3 = new S3Client({ ...aws, forcePathStyle: true });
const sqs = new SQSClient(aws);
const bucket = uniqueName('sluice-dlq-conc');
let queueUrl: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-dlq-conc-'));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sluice-dlq-conc') })))
    .QueueUrl as string;
});
afterAll(async () => {
  const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const o of left.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  await rm(dir, { recursive: true, force: true });
});

const letter = (batch: number, i: number, bytes: number): DeadLetter => ({
  id: `b${batch}-${i}`,
  at: '2024-05-01T12:00:00.000Z',
  stage: 'sink',
  error: { code: 'OPENSEARCH_DOCUMENT_REJECTED', message: 'mapper_parsing_exception (status 400)' },
  original: { message: `${batch}:${i}:${String.fromCharCode(97 + ((batch + i) % 26)).repeat(bytes)}` },
});

const stores: { name: string; open: (onMalformed: (e: Error) => void) => DeadLetterStore }[] = [
  {
    name: 'file',
    open: (onMalformed) => createFileDeadLetterStore(path.join(dir, 'dlq.ndjson'), { onMalformed }),
  },
  {
    name: 'S3',
    open: (onMalformed) => createS3DeadLetterStore({ client: s3, bucket, prefix: 'conc/', onMalformed }),
  },
  {
    name: 'SQS',
    open: (onMalformed) =>
      createSqsDeadLetterStore({ client: sqs, queueUrl, visibilityTimeoutS: 30, onMalformed }),
  },
];

describe.each(stores)('the $name dead-letter store', ({ open }) => {
  it('keeps every letter whole when many batches are dead-lettered at once', async () => {
    const problems: string[] = [];
    const store = open((e) => problems.push(e.message));
    // 12 batches of 6 letters of ~40 KB (SQS takes 256 KiB per message and per batch call).
    const batches = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 6 }, (_, i) => letter(b, i, 40_000)),
    );
    await Promise.all(batches.map((batch) => store.put(batch)));
    const back: DeadLetter[] = [];
    for await (const e of open((err) => problems.push(err.message)).read()) {
      back.push(e.letter);
      await e.ack();
    }
    expect(problems).toEqual([]);
    expect(back).toHaveLength(72);
    expect(new Map(back.map((l) => [l.id, l]))).toEqual(new Map(batches.flat().map((l) => [l.id, l])));
    const after: DeadLetter[] = [];
    for await (const e of open(() => {}).read()) after.push(e.letter);
    expect(after).toEqual([]); // every ack removed its letter
  });
});

describe('the SQS dead-letter store', () => {
  it('refuses a letter over the message limit with a typed error naming the S3 store, sending nothing', async () => {
    const store = createSqsDeadLetterStore({ client: sqs, queueUrl });
    await expect(store.put([letter(0, 0, 10), letter(0, 1, 300_000)])).rejects.toMatchObject({
      code: 'DLQ_PUT_FAILED',
      message: expect.stringMatching(
        /letter 2 of 2 is \d+ bytes, over SQS's 262144-byte message limit; use the S3/,
      ),
    });
    const left: DeadLetter[] = [];
    for await (const e of store.read()) left.push(e.letter);
    expect(left).toEqual([]);
  });
});
