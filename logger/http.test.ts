import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLines } from '../test/factories/log-lines.js';
import { runInTransaction } from './context.js';
import { transactionFromHeaders } from './extract.js';
import { transactionMiddleware, withHttpTransaction } from './http.js';
import { createLogger } from './logger.js';
import { tracedFetch, transactionAttributes, transactionHeaders, withTransaction } from './propagate.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const servers: http.Server[] = [];

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('withHttpTransaction on a real node:http server', () => {
  it('runs each request in the transaction of its headers, echoes the id, and never mixes requests', async () => {
    const sink = captureLines();
    const log = createLogger({ service: 'api' }, { destination: sink, env: {} });
    const url = await listen(
      http.createServer(
        withHttpTransaction(async (req, res) => {
          log.info({ path: req.url }, 'request');
          await new Promise((r) => setTimeout(r, Number(req.url?.slice(1)) % 5));
          log.info({ path: req.url }, 'response');
          res.end('ok');
        }),
      ),
    );
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${url}/${i}`, { headers: i % 2 === 0 ? { 'x-transaction-id': `tx-${i}` } : {} }),
      ),
    );
    const echoed = responses.map((r) => r.headers.get('x-transaction-id'));
    expect(echoed.filter((_id, i) => i % 2 === 0)).toEqual(
      Array.from({ length: 10 }, (_, k) => `tx-${k * 2}`),
    );
    expect(new Set(echoed).size).toBe(20);
    const lines = sink.lines();
    expect(lines).toHaveLength(40);
    for (const line of lines) {
      const i = Number((line.path as string).slice(1));
      expect((line.transaction as { id: string }).id).toBe(echoed[i]);
    }
  });

  it('works as (req, res, next) middleware and can leave the response header alone', async () => {
    const middleware = transactionMiddleware({ responseHeader: false });
    let seen: string | undefined;
    const url = await listen(
      http.createServer((req, res) =>
        middleware(req, res, () => {
          seen = transactionHeaders()['x-transaction-id'];
          res.end();
        }),
      ),
    );
    const res = await fetch(url, { headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` } });
    expect(res.headers.get('x-transaction-id')).toBeNull();
    expect(seen).toBe(TRACE);
  });
});

describe('propagation on outgoing calls', () => {
  it('tracedFetch sends x-transaction-id and a traceparent with a new span to the next service', async () => {
    let received: http.IncomingHttpHeaders = {};
    const url = await listen(
      http.createServer((req, res) => {
        received = req.headers;
        res.end();
      }),
    );
    const fetchWithTx = tracedFetch();
    await runInTransaction({ id: 'tx-out', traceId: TRACE, traceFlags: '01' }, () =>
      fetchWithTx(url, { headers: { 'x-other': '1' } }),
    );
    expect(received['x-transaction-id']).toBe('tx-out');
    expect(received['x-other']).toBe('1');
    expect(received.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    expect(received.traceparent).not.toContain('00f067aa0ba902b7');
    expect(transactionFromHeaders(received)).toEqual({ id: 'tx-out', traceId: TRACE, traceFlags: '01' });
  });

  it('tracedFetch leaves headers the caller set, and adds nothing outside a transaction', async () => {
    const calls: RequestInit[] = [];
    const fake = async (_input: string | URL | Request, init?: RequestInit) => {
      calls.push(init ?? {});
      return new Response('');
    };
    const f = tracedFetch(fake);
    await f('http://x');
    await runInTransaction({ id: 'tx' }, () => f('http://x', { headers: { 'x-transaction-id': 'mine' } }));
    expect(calls[0]?.headers).toBeUndefined();
    expect(new Headers(calls[1]?.headers).get('x-transaction-id')).toBe('mine');
  });

  it('builds SQS message attributes and JSON payload fields that the readers read back', () => {
    runInTransaction({ id: 'tx-msg', traceId: 'X-Ray-is-not-W3C' }, () => {
      expect(transactionAttributes({ kind: { DataType: 'String', StringValue: 'order' } })).toEqual({
        'x-transaction-id': { DataType: 'String', StringValue: 'tx-msg' },
        kind: { DataType: 'String', StringValue: 'order' },
      });
      expect(withTransaction({ orderId: 1 })).toEqual({ transactionId: 'tx-msg', orderId: 1 });
      expect(withTransaction({ transactionId: 'own' })).toEqual({ transactionId: 'own' });
    });
    expect(transactionAttributes()).toEqual({});
    expect(withTransaction({ a: 1 })).toEqual({ a: 1 });
  });
});
