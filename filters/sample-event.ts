import type { LogEvent } from '../transform/schema.js';

/**
 * A valid `LogEvent` with `overrides` merged at the top level: the base of a case's `event` in
 * `sluice filters test --cases` and of the rules reference's examples; filter tests use it too.
 * (Shared test generators live in `test/factories/`.)
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
