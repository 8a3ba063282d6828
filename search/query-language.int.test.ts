import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { type BothBackends, bothBackends, expectIdsOnBoth } from '../test/factories/both-backends.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import type { LogEvent } from '../transform/schema.js';
import { fieldClause } from './query-print.js';

const s = (n: number): number => T0 + n * 1000;
/** The backends' "now": relative times (`now-1h`) count from here on both. */
const NOW = s(5) + 3_600_000 + 500;
const EXEC = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

/** Events that exercise every construct of the language; ids q01…q10 in time order. */
function languageFixture(): LogEvent[] {
  return [
    logEvent('q01', s(1), 'api-gateway', 'info', 'GET /orders/ord-9 took 120ms', {
      transaction: { id: 'tx-00042' },
      trace: { id: '1-5f84c7a1-0123456789abcdef01234567' },
      span: { id: 'a1b2c3d4e5f60718' },
      attributes: { http: { status: 200, method: 'GET' }, duration: 120, tags: ['a', 'b'] },
    }),
    logEvent('q02', s(2), 'orders', 'error', 'upstream call failed', {
      transaction: { id: 'tx-00042' },
      faas: { execution: EXEC },
      error: {
        type: 'TimeoutError',
        message: 'timed out after 3000 ms',
        stack_trace: 'TimeoutError: timed out\n    at fetchStock (stock.js:12:3)',
      },
      attributes: { http: { status: 504 }, duration: 3000 },
    }),
    logEvent('q03', s(3), 'orders', 'info', `REPORT RequestId: ${EXEC}`, {
      faas: { execution: EXEC, coldstart: true },
      lambda: {
        platform: 'report',
        report: {
          duration_ms: 250.5,
          billed_duration_ms: 251,
          memory_size_mb: 128,
          max_memory_used_mb: 80,
          init_duration_ms: 180,
        },
      },
    }),
    logEvent('q04', s(4), 'payments', 'warn', 'Payment Café declined: "insufficient funds"', {
      attributes: { order_id: 'ord-9', amount: 12.5, vip: false, code: 'B-7' },
    }),
    logEvent('q05', s(5), 'checkout "eu" svc', 'info', 'cart saved', {
      attributes: { http: { status: 201 }, duration: 15 },
    }),
    logEvent('q06', s(6), 'payments', 'fatal', 'connection pool exhausted', {
      trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      error: { type: 'PoolError', message: 'timeout acquiring connection' },
    }),
    logEvent('q07', s(7), 'inventory', 'debug', 'cache warm', {
      attributes: { duration: 'fast' },
      redaction: { rules: ['email', 'card'] },
    }),
    logEvent('q08', s(8), 'orders', 'info', 'order created id=ord-10', {
      transaction: { id: 'tx-00043' },
      attributes: { order_id: 'ord-10', http: { status: 500 } },
    }),
    logEvent('q09', s(9), 'api-gateway', 'info', 'request timeouts rising'),
    logEvent('q10', s(10), 'orders', 'info', 'TIMEOUT in retry loop'),
  ];
}

/** Every construct, with the ids (newest first) both backends must return. */
const CASES: readonly (readonly [string, readonly string[]])[] = [
  ['timeout', ['q10', 'q09', 'q06', 'q02']],
  ['"timeout"', ['q10', 'q06']],
  ['TimeoutError', ['q02']],
  ['fetchStock', ['q02']],
  ['cafe', ['q04']],
  ['"insufficient funds"', ['q04']],
  ['ord-9', ['q01']],
  ['message:timeout', ['q10', 'q09']],
  ['error.message:"timed out"', ['q02']],
  ['error.type:TimeoutError', ['q02']],
  ['error.type:*', ['q06', 'q02']],
  ['-error.type:*', ['q10', 'q09', 'q08', 'q07', 'q05', 'q04', 'q03', 'q01']],
  ['level:error OR level:fatal', ['q06', 'q02']],
  ['level>=warn', ['q06', 'q04', 'q02']],
  ['(service:orders OR service:payments) -level:info', ['q06', 'q04', 'q02']],
  ['service:orders level:info OR service:inventory', ['q10', 'q08', 'q07', 'q03']],
  ['service:orders AND (level:info OR service:inventory)', ['q10', 'q08', 'q03']],
  ['NOT (service:orders OR service:api-gateway)', ['q07', 'q06', 'q05', 'q04']],
  ['duration>200', ['q03']],
  ['duration:[100 TO 250.5]', ['q03']],
  ['duration:[100 TO 250.5}', []],
  ['lambda.report.memory_size_mb:128', ['q03']],
  ['faas.coldstart:true', ['q03']],
  ['attributes.http.status>=500', ['q08', 'q02']],
  ['attributes.duration>100', ['q02', 'q01']],
  ['attributes.duration<20', ['q05']],
  ['attributes.code>=B', ['q04']],
  ['attributes.tags:b', ['q01']],
  ['redaction.rules:card', ['q07']],
  ['request:3f2a*', ['q03', 'q02']],
  ['-request:3f2a*', ['q10', 'q09', 'q08', 'q07', 'q06', 'q05', 'q04', 'q01']],
  ['attributes.http.status:*', ['q08', 'q05', 'q02', 'q01']],
  ['attributes.http:*', ['q08', 'q05', 'q02', 'q01']],
  ['attributes.order_id:* -attributes.vip:*', ['q08']],
  ['attributes.vip:false', ['q04']],
  ['attributes.order_id:ord*', ['q08', 'q04']],
  ['attributes.http.method:GET', ['q01']],
  ['-attributes.http.status:200', ['q10', 'q09', 'q08', 'q07', 'q06', 'q05', 'q04', 'q03', 'q02']],
  [`@timestamp>=${new Date(s(6)).toISOString().replace('.000Z', 'Z')}`, ['q10', 'q09', 'q08', 'q07', 'q06']],
  ['@timestamp<now-1h', ['q05', 'q04', 'q03', 'q02', 'q01']],
  [`@timestamp:[${new Date(s(2)).toISOString()} TO ${new Date(s(4)).toISOString()}}`, ['q03', 'q02']],
  [fieldClause('service.name', 'checkout "eu" svc'), ['q05']],
  [fieldClause('service.name', 'orders', true), ['q09', 'q07', 'q06', 'q05', 'q04', 'q01']],
  ['service:check*', ['q05']],
  ['span.id:* OR trace.id:*', ['q06', 'q01']],
  // A bare id pasted alone finds the events that carry it.
  ['tx-00042', ['q02', 'q01']],
  ['1-5f84c7a1-0123456789abcdef01234567', ['q01']],
  ['4bf92f3577b34da6a3ce929d0e0e4736', ['q06']],
  [EXEC, ['q03', 'q02']],
  ['a1b2c3d4e5f60718', ['q01']],
];

describe('the query language on both backends (SQLite store and a real OpenSearch node)', () => {
  let both: BothBackends;

  beforeAll(async () => {
    both = await bothBackends(inject('opensearchUrl'), languageFixture(), 'qlang', () => NOW);
  });
  afterAll(async () => {
    await both?.dispose();
  });

  it.each(CASES)('%s', async (q, expected) => {
    await expectIdsOnBoth(both, q, expected);
  });
});
