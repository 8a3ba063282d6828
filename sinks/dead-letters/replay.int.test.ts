import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../cli/main.js';
import { motoConfig, uniqueName } from '../../test/factories/aws.js';
import { makeLogEvent, uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, searchAll } from '../../test/factories/opensearch.js';
import { createOpenSearchSink } from '../opensearch/sink.js';
import { createFileDeadLetterStore } from './file-store.js';
import { createS3DeadLetterStore } from './s3-store.js';
import { createSqsDeadLetterStore } from './sqs-store.js';
import type { DeadLetter, DeadLetterStore } from './types.js';

const node = inject('opensearchUrl');
const endpoint = inject('awsEndpoint');
const aws = motoConfig(endpoint);
const s3 = new S3Client({ ...aws, forcePathStyle: true });
const sqs = new SQSClient(aws);
const prefix = `sluice-logs-${uniqueSegment('dlq')}`;
const bucket = uniqueName('sluice-dlq');
const queueName = uniqueName('sluice-dlq');
let queueUrl: string;
let dir: string;

beforeAll(async () => {
  for (const [k, v] of Object.entries({
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_REGION: aws.region,
  })) {
    process.env[k] = v;
  }
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-replay-'));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl as string;
});
afterAll(async () => {
  const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const o of left.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  await dropPrefix(node, prefix);
  await rm(dir, { recursive: true, force: true });
});

async function sluice(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await main(args, {
    stdout,
    stderr,
    env: { ...process.env },
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

async function all(store: DeadLetterStore): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const { letter } of store.read()) out.push(letter);
  return out;
}

const cases: { name: string; store: () => DeadLetterStore; source: () => string }[] = [
  {
    name: 'file',
    store: () => createFileDeadLetterStore(path.join(dir, 'dlq.ndjson')),
    source: () => path.join(dir, 'dlq.ndjson'),
  },
  {
    name: 'S3',
    store: () => createS3DeadLetterStore({ client: s3, bucket, prefix: 'dl/' }),
    source: () => `s3://${bucket}/dl/`,
  },
  {
    name: 'SQS',
    store: () => createSqsDeadLetterStore({ client: sqs, queueUrl, visibilityTimeoutS: 1 }),
    source: () => queueUrl,
  },
];

describe.each(cases)('dead letters in $name', ({ name, store, source }) => {
  it('receives what the sink cannot index, and `sluice dlq replay` re-submits what can now be indexed', async () => {
    const n = cases.findIndex((c) => c.name === name) * 100;
    const dlq = store();
    // 1. The sink dead-letters an event it cannot index (a timestamp no data stream accepts).
    const sink = createOpenSearchSink({
      node,
      indexPrefix: prefix,
      config: { replicas: 0 },
      deadLetters: dlq,
    });
    const broken = makeLogEvent(n + 1, { '@timestamp': 'yesterday', transaction: { id: `tx-${name}` } });
    const written = await sink.write([broken]);
    expect(written.results).toEqual(['dead_lettered']);
    // 2. Letters of an earlier outage (now indexable), one already indexed, one from the filter stage.
    const recovered = makeLogEvent(n + 2, { transaction: { id: `tx-${name}` } });
    const already = makeLogEvent(n + 3, { transaction: { id: `tx-${name}` } });
    expect((await sink.write([already])).results).toEqual(['indexed']);
    await sink.close();
    const at = new Date().toISOString();
    const error = { code: 'OPENSEARCH_RETRY_BUDGET_EXHAUSTED', message: 'node down' };
    await dlq.put([
      { id: 'r', at, stage: 'sink', error, original: recovered },
      { id: 'a', at, stage: 'sink', error, original: already },
      {
        id: 'f',
        at,
        stage: 'filter',
        error: { code: 'FILTER_REDACT_FAILED', message: 'x' },
        original: recovered,
      },
    ]);

    const run = await sluice([
      'dlq',
      'replay',
      source(),
      '--node',
      node,
      '--prefix',
      prefix,
      '--endpoint',
      endpoint,
    ]);
    expect(run.out).toContain(
      'replayed 4 letters: 1 indexed, 1 already there, 1 kept (still failing), 1 skipped',
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/replay: read 4/); // plain progress lines when not on a terminal

    const hits = await searchAll(node, prefix, { term: { 'transaction.id': `tx-${name}` } });
    expect(hits.map((h) => h.source.event)).toEqual(expect.arrayContaining([recovered.event, already.event]));
    expect(hits).toHaveLength(2);
    const left = await all(dlq);
    expect(left.map((l) => l.stage).sort()).toEqual(['filter', 'sink']);
    expect(left.find((l) => l.stage === 'sink')?.original).toEqual(broken);
  });
});

describe('letters parked before values of any size could be indexed', () => {
  it('`sluice dlq replay` indexes them (the long value cut in the index, whole in the document) and acks them', async () => {
    const file = path.join(dir, 'immense.ndjson');
    const long = 'x'.repeat(40_000);
    const parked = [
      makeLogEvent(901, { transaction: { id: 'tx-immense' }, attributes: { payload: long } }),
      makeLogEvent(902, { transaction: { id: 'tx-immense' }, attributes: { list: [long, long] } }),
    ];
    // As the sink used to write them: Lucene refused the flat_object term.
    await createFileDeadLetterStore(file).put(
      parked.map((original, i) => ({
        id: `immense-${i}`,
        at: new Date().toISOString(),
        stage: 'sink' as const,
        error: {
          code: 'OPENSEARCH_DOCUMENT_REJECTED',
          message: 'illegal_argument_exception on field [attributes._value] (status 400)',
        },
        original,
      })),
    );
    const run = await sluice(['dlq', 'replay', file, '--node', node, '--prefix', prefix]);
    expect(run.out).toContain(
      'replayed 2 letters: 2 indexed, 0 already there, 0 kept (still failing), 0 skipped',
    );
    expect(run.code).toBe(0);
    expect(await all(createFileDeadLetterStore(file))).toEqual([]);
    const hits = await searchAll(node, prefix, { term: { 'transaction.id': 'tx-immense' } });
    expect(hits).toHaveLength(2);
    const quarantined = hits.map((h) => h.source.quarantine as Record<string, string>);
    expect(quarantined).toEqual(
      expect.arrayContaining([
        { 'attributes.payload': long },
        { 'attributes.list': JSON.stringify([long, long]) },
      ]),
    );
  });
});

describe('a dead-letter file with unreadable lines', () => {
  it('replays the letters, lists a bad line and a torn final line by number, and leaves them in place', async () => {
    const file = path.join(dir, 'torn.ndjson');
    const good = makeLogEvent(951, { transaction: { id: 'tx-torn' } });
    const goodLine = JSON.stringify({
      id: 'good',
      at: new Date().toISOString(),
      stage: 'sink',
      error: { code: 'OPENSEARCH_RETRY_BUDGET_EXHAUSTED', message: 'node down' },
      original: good,
    });
    await writeFile(file, `${goodLine}\nnot json at all\n{"id":"torn","at":"20`);
    const run = await sluice(['dlq', 'replay', file, '--node', node, '--prefix', prefix]);
    expect(run.err).toMatch(/torn\.ndjson:2: expected a JSON dead letter/);
    expect(run.err).toMatch(/torn\.ndjson:3: torn final line \(21 bytes without a newline/);
    expect(run.out).toContain('replayed 1 letters: 1 indexed');
    expect(run.out).toContain('2 unreadable entries left in place');
    expect(run.code).toBe(1);
    expect(await readFile(file, 'utf8')).toBe('not json at all\n{"id":"torn","at":"20\n');
    expect(await searchAll(node, prefix, { term: { 'transaction.id': 'tx-torn' } })).toHaveLength(1);
  });
});
