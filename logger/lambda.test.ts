import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { captureLines } from '../test/factories/log-lines.js';
import { currentTransaction } from './context.js';
import { withLambda } from './lambda.js';
import { createLogger } from './logger.js';

const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

const context = (awsRequestId: string) =>
  ({ awsRequestId, functionName: 'orders-fn', functionVersion: '$LATEST' }) as unknown as Context;

function setup(env: Record<string, string> = {}) {
  const sink = captureLines();
  const log = createLogger({ service: 'orders' }, { destination: sink, env });
  return { sink, log };
}

describe('withLambda', () => {
  it('adds request id, function name, cold start and the X-Ray trace to every line, cold only once', async () => {
    const { sink, log } = setup();
    const handler = withLambda(
      log,
      async (event: { n: number }) => {
        log.info({ n: event.n }, 'handling');
        await new Promise((r) => setTimeout(r, 1));
        log.info('done');
        return event.n * 2;
      },
      { env: { _X_AMZN_TRACE_ID: XRAY } },
    );
    expect(await handler({ n: 1 }, context('req-1'))).toBe(2);
    expect(await handler({ n: 2 }, context('req-2'))).toBe(4);
    const lines = sink.lines();
    expect(lines.map((l) => [l.function_request_id, l.function_name, l.cold_start])).toEqual([
      ['req-1', 'orders-fn', true],
      ['req-1', 'orders-fn', true],
      ['req-2', 'orders-fn', false],
      ['req-2', 'orders-fn', false],
    ]);
    for (const line of lines) expect(line.trace).toEqual({ id: '1-5759e988-bd862e3fe1be46a994272793' });
    const ids = lines.map((l) => (l.transaction as { id: string }).id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('reads the transaction and W3C trace from the event, which wins over X-Ray', async () => {
    const { sink, log } = setup();
    const handler = withLambda(log, async () => log.info('x'), { env: { _X_AMZN_TRACE_ID: XRAY } });
    await handler(
      {
        version: '2.0',
        headers: { 'x-transaction-id': 'tx-api', traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
        requestContext: {},
      },
      context('r'),
    );
    expect(sink.lines()[0]).toMatchObject({ transaction: { id: 'tx-api' }, trace: { id: TRACE } });
  });

  it('is not cold under provisioned concurrency', async () => {
    const { sink, log } = setup();
    const handler = withLambda(log, async () => log.info('x'), {
      env: { AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency' },
    });
    await handler({}, context('r'));
    expect(sink.lines()[0]?.cold_start).toBe(false);
  });

  it('logs a thrown error with the invocation context, re-throws it, and flushes', async () => {
    const { sink, log } = setup();
    const handler = withLambda(log, async () => {
      throw new TypeError('bad order');
    });
    await expect(handler({ transactionId: 'tx-err' }, context('req-e'))).rejects.toThrow('bad order');
    expect(sink.lines()[0]).toMatchObject({
      level: 50,
      msg: 'invocation failed',
      err: { type: 'TypeError', message: 'bad order' },
      transaction: { id: 'tx-err' },
      function_request_id: 'req-e',
    });
    expect(sink.flushes).toBe(1);
  });

  it('logs a thrown non-Error as the error, keeping the message', async () => {
    const { sink, log } = setup();
    const handler = withLambda(log, async () => {
      throw 'plain string %s';
    });
    await expect(handler({}, context('req-s'))).rejects.toBe('plain string %s');
    expect(sink.lines()[0]).toMatchObject({ msg: 'invocation failed', err: 'plain string %s' });
  });

  it('flushes before the invocation returns and leaves no context behind', async () => {
    const { sink, log } = setup();
    let flushesSeenInside = -1;
    const handler = withLambda(
      log,
      () => {
        flushesSeenInside = sink.flushes;
        return 'sync result';
      },
      { logErrors: false },
    );
    expect(await handler({}, context('r'))).toBe('sync result');
    expect(flushesSeenInside).toBe(0);
    expect(sink.flushes).toBe(1);
    expect(currentTransaction()).toBeUndefined();
  });

  it('honours AWS_LAMBDA_LOG_LEVEL from the function configuration', async () => {
    const { sink, log } = setup({ AWS_LAMBDA_LOG_LEVEL: 'ERROR', AWS_LAMBDA_FUNCTION_NAME: 'orders-fn' });
    const handler = withLambda(log, async () => {
      log.info('hidden');
      log.error('shown');
    });
    await handler({}, context('r'));
    expect(sink.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});
