import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKinesisClient } from '../sinks/kinesis/client.js';
import { decodeEventsRecord } from '../sinks/kinesis/codec.js';
import { createTestStream, motoConfig, readAllRecords, uniqueName } from '../test/factories/aws.js';
import { makeKinesisEvent, makeLogEvent } from '../test/factories/kinesis.js';
import { dropPrefix, searchAll } from '../test/factories/opensearch.js';
import { LAMBDA_BUNDLE_OPTIONS, LAMBDA_ENTRIES } from './bundle.js';

const root = resolve(import.meta.dirname, '..');
const endpoint = inject('awsEndpoint');
const opensearchUrl = inject('opensearchUrl');
const kinesis = createKinesisClient(motoConfig(endpoint));
const sqs = new SQSClient(motoConfig(endpoint));
const prefix = `sluice-logs-bundle${uniqueName('').replace(/[^a-z0-9]/g, '')}`;
let dir: string;
let stream: Awaited<ReturnType<typeof createTestStream>>;
let queueUrl: string;

/** Runs `handler(event)` of a bundle in a fresh Node process with only `env` (as Lambda would). */
async function invoke(bundle: string, env: Record<string, string>, event: unknown): Promise<string> {
  const script = join(dir, 'invoke.mjs');
  await writeFile(
    script,
    `const { handler } = await import(process.argv[2]);
     try { console.log('RESULT ' + JSON.stringify(await handler(JSON.parse(process.argv[3]), { getRemainingTimeInMillis: () => 30000 }))); }
     catch (e) { console.log('ERROR ' + e.code + ' ' + JSON.stringify(e.message)); }`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [script, bundle, JSON.stringify(event)], {
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      ...env,
    },
  });
  return stdout;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-bundle-'));
  await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: { transform: LAMBDA_ENTRIES.transform, sink: LAMBDA_ENTRIES.sink },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  stream = await createTestStream(kinesis, uniqueName('sluice-bundle'), 1);
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sluice-bundle-dlq') })))
    .QueueUrl!;
});
afterAll(async () => {
  await stream?.dispose();
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  await dropPrefix(opensearchUrl, prefix);
  kinesis.destroy();
  sqs.destroy();
});

describe('the bundled handlers (esbuild, one ESM file each)', () => {
  it('fails every invocation of a misconfigured function with every problem listed', async () => {
    const out = await invoke(join(dir, 'transform.mjs'), { SLUICE_LOG_LEVEL: 'loud' }, { Records: [] });
    expect(out).toContain('ERROR LAMBDA_CONFIG_INVALID');
    expect(out).toContain('SLUICE_EVENTS_STREAM');
    expect(out).toContain('SLUICE_LOG_LEVEL');
    expect(out).toContain('SLUICE_DLQ_BUCKET / SLUICE_DLQ_QUEUE_URL');
  });

  it('transform: forwards events to the events stream and dead-letters a poison record to SQS', async () => {
    const { gzipSync } = await import('node:zlib');
    const good = gzipSync(
      JSON.stringify({
        messageType: 'DATA_MESSAGE',
        owner: '123456789012',
        logGroup: '/aws/lambda/bundled',
        logStream: 's',
        subscriptionFilters: ['f'],
        logEvents: [
          {
            id: '1',
            timestamp: Date.now(),
            message: '{"level":30,"transactionId":"tx-b","msg":"from the bundle"}',
          },
        ],
      }),
    );
    const out = await invoke(
      join(dir, 'transform.mjs'),
      { SLUICE_EVENTS_STREAM: stream.name, SLUICE_DLQ_QUEUE_URL: queueUrl },
      makeKinesisEvent([good, Buffer.from('poison')]),
    );
    expect(out).toContain('RESULT {"batchItemFailures":[]}');
    expect(out).toMatch(/"stage":"transform".*"forwarded":1/);
    expect(out).toMatch(/"deadLettered":1/);
    const stored = (await readAllRecords(kinesis, stream.name)).flatMap(
      (r) => decodeEventsRecord(r.data).events,
    );
    expect(stored.map((e) => e.message)).toEqual(['from the bundle']);
  });

  it('sink: indexes the events of an events-stream record', async () => {
    const ndjson = [makeLogEvent(1, { transactionId: 'tx-s' }), makeLogEvent(2, { transactionId: 'tx-s' })]
      .map((e) => JSON.stringify(e))
      .join('\n');
    const out = await invoke(
      join(dir, 'sink.mjs'),
      {
        SLUICE_OPENSEARCH_ENDPOINT: opensearchUrl,
        SLUICE_INDEX_PREFIX: prefix,
        SLUICE_DLQ_QUEUE_URL: queueUrl,
      },
      makeKinesisEvent([ndjson]),
    );
    expect(out).toContain('RESULT {"batchItemFailures":[]}');
    expect((await searchAll(opensearchUrl, prefix)).map((d) => d.source['message']).sort()).toEqual([
      'message 1',
      'message 2',
    ]);
  });
});
