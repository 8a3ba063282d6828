import type { LogEvent } from '../transform/schema.js';

/**
 * A valid `LogEvent` for filter tests, with `overrides` merged at the top level. (Shared
 * generators live in `test/factories/`; this keeps the filter tests independent of them.)
 */
export function makeEvent(overrides: Partial<LogEvent> = {}): LogEvent {
  return {
    '@timestamp': '2024-05-01T12:00:00.000Z',
    message: 'hello',
    log: { level: 'info', format: 'json' },
    service: { name: 'checkout' },
    transaction: { id: 'tx-1' },
    event: { id: 'ev-1', ingested: '2024-05-01T12:00:01.000Z' },
    aws: { cloudwatch: { log_group: '/aws/lambda/checkout-prod', log_stream: '2024/05/01/[$LATEST]abc' } },
    attributes: {},
    ...overrides,
  };
}

/** Deep-freezes a value so that a test fails if any code mutates it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
