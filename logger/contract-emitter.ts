/**
 * A small component that uses every helper of `sluice/logger` the way a real one would and writes
 * its lines to its real stdout. `logger/contract.test.ts` runs it, feeds the output through
 * `sluice process` and checks the LogEvents. Each line's message names its scenario.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import {
  addTransactionFields,
  createLogger,
  runInTransaction,
  tracedFetch,
  transactionFromEvent,
  transactionFromRecord,
  transactionHeaders,
  withHttpTransaction,
  withLambda,
} from 'sluice/logger';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE}-00f067aa0ba902b7-01`;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
const ctx = (awsRequestId: string) => ({ awsRequestId, functionName: 'orders-fn' }) as unknown as Context;

process.env.AWS_LAMBDA_FUNCTION_NAME = 'orders-fn'; // as in Lambda: synchronous stdout
process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const log = createLogger({ service: 'orders', bindings: { deployment: 'blue' } });

// Plain line, child with bound fields, error, redaction — outside any transaction.
log.info('plain line');
log.child({ order: { id: 'o-1' }, customer: 'c-9' }).warn({ amount: 12.5 }, 'child line');
log.error(new TypeError('card declined'), 'error line');
log.info({ password: 'hunter2', user: { name: 'ann', token: 't0ken' } }, 'redacted line');

// A transaction read from each event source, through the Lambda wrapper.
const handler = withLambda(log, async (event: { source?: string }) => {
  log.info({ source: event.source ?? 'none' }, 'lambda line');
});
const events: Record<string, unknown> = {
  apigw_v1: { httpMethod: 'POST', headers: { 'X-Transaction-Id': 'tx-apigw-v1' }, requestContext: {} },
  apigw_v2: { version: '2.0', headers: { traceparent: TRACEPARENT }, requestContext: { http: {} } },
  sqs: {
    Records: [
      {
        eventSource: 'aws:sqs',
        body: '{}',
        attributes: {},
        messageAttributes: { 'x-transaction-id': { stringValue: 'tx-sqs', dataType: 'String' } },
      },
    ],
  },
  kinesis: {
    Records: [{ eventSource: 'aws:kinesis', kinesis: { data: b64({ transactionId: 'tx-kinesis' }) } }],
  },
  eventbridge: { 'detail-type': 'OrderPlaced', source: 'shop', detail: { transactionId: 'tx-eventbridge' } },
  sns: {
    Records: [
      {
        EventSource: 'aws:sns',
        Sns: { Message: 'm', MessageAttributes: { 'x-transaction-id': { Type: 'String', Value: 'tx-sns' } } },
      },
    ],
  },
  none: {},
};
let n = 0;
for (const [source, event] of Object.entries(events)) {
  await handler({ ...(event as object), source } as never, ctx(`req-${++n}`));
}
const failing = withLambda(log, async () => {
  throw new RangeError('out of stock');
});
await failing({ transactionId: 'tx-failing' }, ctx('req-fail')).catch(() => undefined);

// A batch handled record by record, each in its own transaction.
const batch = withLambda(log, async (event: { Records: unknown[] }) => {
  for (const record of event.Records) {
    await runInTransaction(transactionFromRecord(record), async () => log.info('batch record line'));
  }
});
await batch(
  {
    Records: ['tx-rec-1', 'tx-rec-2'].map((id) => ({
      eventSource: 'aws:kinesis',
      kinesis: { data: b64({ correlationId: id }) },
    })),
  },
  ctx('req-batch'),
);

// Business fields added to the transaction; a plain transaction from raw headers.
await runInTransaction(
  transactionFromEvent({ headers: { traceparent: TRACEPARENT }, requestContext: {} }),
  async () => {
    addTransactionFields({ tenant: { id: 't-1' } });
    log.info('transaction fields line');
  },
);

// An HTTP service calling the next one: the id travels in the headers.
delete process.env._X_AMZN_TRACE_ID;
const server = http.createServer(
  withHttpTransaction((req, res) => {
    log.info({ path: req.url }, 'http line');
    res.end(transactionHeaders()['x-transaction-id'] ?? '');
  }),
);
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
await fetch(`${url}/direct`, { headers: { 'x-transaction-id': 'tx-http' } });
await runInTransaction({ id: 'tx-upstream' }, async () => {
  await tracedFetch()(`${url}/propagated`);
});
server.close();
log.flush();
