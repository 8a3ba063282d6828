import type { LogEvent, LogLevel } from '../../transform/schema.js';

/** Base time of the search fixtures: 2026-01-01T12:00:00.000Z. */
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Builds a valid LogEvent; `over` replaces top-level parts. */
export function logEvent(
  id: string,
  atMs: number,
  service: string,
  level: LogLevel,
  message: string,
  over: Partial<LogEvent> = {},
): LogEvent {
  const iso = new Date(atMs).toISOString();
  return {
    '@timestamp': iso,
    message,
    log: { level, format: 'pino' },
    service: { name: service },
    event: { id, ingested: iso },
    aws: { cloudwatch: { log_group: `/aws/lambda/${service}`, log_stream: '2026/01/01/[$LATEST]abc' } },
    attributes: {},
    ...over,
  };
}

/**
 * A small, fixed data set for the search contract: two transactions across three services,
 * errors with stack traces, and a few unrelated events. Times are T0 + seconds.
 */
export function searchFixture(): LogEvent[] {
  const s = (n: number): number => T0 + n * 1000;
  return [
    logEvent('e01', s(0), 'api-gateway', 'info', 'request received POST /orders', {
      transaction: { id: 'tx-alpha' },
      attributes: { http: { method: 'POST', status: 201 }, route: '/orders' },
    }),
    logEvent('e02', s(1), 'orders', 'info', 'order created', {
      transaction: { id: 'tx-alpha' },
      attributes: { order_id: 'ord-1', amount: 42, vip: true },
    }),
    logEvent('e03', s(3), 'payments', 'error', 'payment declined by issuer', {
      transaction: { id: 'tx-alpha' },
      error: {
        type: 'CardDeclinedError',
        message: 'insufficient funds',
        stack_trace: 'CardDeclinedError: insufficient funds\n    at charge (payments.js:10:5)',
      },
      attributes: { order_id: 'ord-1' },
    }),
    logEvent('e04', s(4), 'orders', 'warn', 'order marked unpaid', { transaction: { id: 'tx-alpha' } }),
    logEvent('e05', s(10), 'api-gateway', 'info', 'request received GET /health'),
    logEvent('e06', s(20), 'api-gateway', 'info', 'request received POST /orders', {
      transaction: { id: 'tx-beta' },
    }),
    logEvent('e07', s(21), 'orders', 'info', 'order created', {
      transaction: { id: 'tx-beta' },
      attributes: { order_id: 'ord-2', amount: 7, vip: false },
    }),
    logEvent('e08', s(22), 'payments', 'info', 'payment captured', { transaction: { id: 'tx-beta' } }),
    logEvent('e09', s(30), 'inventory', 'debug', 'cache warm "quoted" words', {
      log: { level: 'debug', format: 'lambda_text' },
    }),
    logEvent('e10', s(40), 'payments', 'fatal', 'connection pool exhausted', {
      error: { type: 'PoolError', message: 'timeout acquiring connection' },
    }),
  ];
}
