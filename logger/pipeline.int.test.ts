import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DestinationStream } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ComponentLine, createWorld, startPipeline, type World } from '../test/e2e/kit.js';
import { motoConfig, uniqueName } from '../test/factories/aws.js';
import { dropPrefix, searchAll } from '../test/factories/opensearch.js';
import { waitFor } from '../test/factories/wait.js';
import { transactionFromRecord } from './aws-events.js';
import { runInTransaction } from './context.js';
import { withHttpTransaction } from './http.js';
import { withLambda } from './lambda.js';
import { createLogger } from './logger.js';
import { transactionAttributes, withTransaction } from './propagate.js';

const sfx = uniqueName('lg')
  .toLowerCase()
  .replace(/[^a-z0-9]/g, '');
const prefix = `sluice-logs-logger${sfx}`;
const groups = { checkout: `/ecs/checkout-${sfx}`, fulfil: `/aws/lambda/fulfil-${sfx}` };

/** A pino destination that keeps each line as the CloudWatch event it becomes. */
function cloudwatch(group: string, stream: string, sink: ComponentLine[]): DestinationStream {
  return {
    write(line: string) {
      const { time } = JSON.parse(line) as { time: number };
      sink.push({ group, stream, timestamp: time, message: line.trimEnd() });
    },
  };
}

/** A received SQS message as the Lambda event source mapping hands it to a function. */
function asLambdaRecord(m: Message, queueArn: string): SQSRecord {
  const attrs: SQSRecord['messageAttributes'] = {};
  for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) {
    attrs[name] = { stringValue: a.StringValue, dataType: a.DataType ?? 'String' } as never;
  }
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: (m.Attributes ?? {}) as never,
    messageAttributes: attrs,
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

describe('sluice/logger end to end: HTTP service → SQS (moto) → Lambda, logs via CloudWatch Logs (moto) → pipeline → OpenSearch', () => {
  const opensearchUrl = inject('opensearchUrl');
  const endpoint = inject('awsEndpoint');
  const sqs = new SQSClient(motoConfig(endpoint));
  let world: World;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let queueUrl = '';

  beforeAll(async () => {
    world = await createWorld(endpoint, Object.values(groups));
    pipeline = await startPipeline({ world, opensearchUrl, indexPrefix: prefix });
    queueUrl =
      (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sluice-logger') }))).QueueUrl ?? '';
  }, 120_000);
  afterAll(async () => {
    await pipeline?.stop();
    await world?.dispose();
    if (queueUrl) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
    sqs.destroy();
    await dropPrefix(opensearchUrl, prefix);
  });

  it('indexes each transaction whole across both components, with the invocation, errors and no secrets', async () => {
    const lines: ComponentLine[] = [];
    // Component 1: an HTTP service that queues the order.
    const checkoutLog = createLogger(
      { service: 'checkout' },
      { destination: cloudwatch(groups.checkout, 'checkout/task/1', lines), env: {} },
    );
    const server = http.createServer(
      withHttpTransaction(async (req, res) => {
        const orderId = Number(req.url?.slice(1));
        checkoutLog.info({ orderId, card: { cvc: '123', password: 'hunter2' } }, 'checkout started');
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: JSON.stringify(withTransaction({ orderId })),
            MessageAttributes: transactionAttributes(),
          }),
        );
        checkoutLog.info({ orderId }, 'order queued');
        res.end();
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const given = ['tx-a', 'tx-b'].map((t) => `${t}-${sfx}`);
    const responses = await Promise.all([
      fetch(`${url}/1`, { headers: { 'x-transaction-id': given[0]! } }),
      fetch(`${url}/2`, { headers: { 'x-transaction-id': given[1]! } }),
      fetch(`${url}/3`),
    ]);
    server.close();
    const txs = responses.map((r) => r.headers.get('x-transaction-id') ?? '');
    expect(txs.slice(0, 2)).toEqual(given);

    // Component 2: a Lambda fed by the queue, one batch, each record in its own transaction.
    const received: Message[] = [];
    await waitFor('the three messages in the queue', async () => {
      const r = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      received.push(...(r.Messages ?? []));
      return received.length >= 3;
    });
    const fulfilLog = createLogger(
      { service: 'fulfil' },
      {
        destination: cloudwatch(groups.fulfil, '2026/11/26/[$LATEST]f1', lines),
        env: { AWS_LAMBDA_FUNCTION_NAME: `fulfil-${sfx}` },
      },
    );
    const handler = withLambda(
      fulfilLog,
      async (event: SQSEvent) => {
        for (const record of event.Records) {
          await runInTransaction(transactionFromRecord(record), async () => {
            const { orderId } = JSON.parse(record.body) as { orderId: number };
            fulfilLog.info({ orderId }, 'fulfilling');
            if (orderId === 2)
              fulfilLog.error({ err: new RangeError('out of stock'), orderId }, 'fulfil failed');
          });
        }
      },
      { env: { _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' } },
    );
    const queueArn = `arn:aws:sqs:us-east-1:123456789012:${queueUrl.split('/').pop()}`;
    await handler({ Records: received.map((m) => asLambdaRecord(m, queueArn)) }, {
      awsRequestId: 'req-fulfil-1',
      functionName: `fulfil-${sfx}`,
    } as Context);

    // Through CloudWatch Logs, Kinesis, the transform and sink stages into OpenSearch.
    expect(lines).toHaveLength(10);
    await world.ship(lines);
    await waitFor(
      'every line indexed',
      () => pipeline.total('sink', 'indexed') >= lines.length || undefined,
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    const docs = await searchAll(opensearchUrl, prefix);
    expect(docs).toHaveLength(lines.length);
    expect(JSON.stringify(docs)).not.toContain('hunter2');

    for (const [i, tx] of txs.entries()) {
      const orderId = i + 1;
      const expected = [
        ['checkout', 'checkout started'],
        ['checkout', 'order queued'],
        ['fulfil', 'fulfilling'],
        ...(orderId === 2 ? [['fulfil', 'fulfil failed']] : []),
      ];
      // Lines logged in the same millisecond share a timestamp, and their order among
      // themselves is not defined: those ties are broken by the order they were logged in.
      const rank = (h: Record<string, unknown>) =>
        expected.findIndex(([s, m]) => (h.service as { name: string }).name === s && h.message === m);
      const hits = (await searchAll(opensearchUrl, prefix, { term: { 'transaction.id': tx } }))
        .map((h) => h.source)
        .sort((a, b) => String(a['@timestamp']).localeCompare(String(b['@timestamp'])) || rank(a) - rank(b));
      expect(hits.map((h) => [(h.service as { name: string }).name, h.message])).toEqual(expected);
      for (const h of hits) expect(h.attributes).toMatchObject({ orderId });
      expect(hits[0]!.attributes).toMatchObject({ card: { cvc: '123', password: '[REDACTED:secret]' } });
      expect(hits[0]!.aws).toEqual({
        cloudwatch: { log_group: groups.checkout, log_stream: 'checkout/task/1' },
      });
      expect(hits[0]!.faas).toBeUndefined();
      for (const h of hits.slice(2)) {
        expect(h.faas).toEqual({ execution: 'req-fulfil-1', name: `fulfil-${sfx}`, coldstart: true });
        expect(h.trace).toEqual({ id: '1-5759e988-bd862e3fe1be46a994272793' });
      }
      if (orderId === 2) {
        expect(hits.at(-1)).toMatchObject({
          log: { level: 'error', format: 'pino' },
          error: { type: 'RangeError', message: 'out of stock' },
        });
      }
    }
  }, 180_000);
});
