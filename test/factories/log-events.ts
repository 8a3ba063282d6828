import { randomBytes } from 'node:crypto';
import type { LogEvent } from '../../transform/schema.js';

/** A unique, lowercase name segment for indices / data streams created by one test run. */
export function uniqueSegment(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A CloudWatch-like 56-digit event id for `n`. */
function cwlEventId(n: number, salt = 0): string {
  return `${String(salt).padStart(10, '0')}${String(n).padStart(46, '0')}`;
}

/**
 * A valid `LogEvent` (an application JSON line of service `orders`), with `overrides` merged on
 * top (shallow). `n` makes the ids unique.
 */
export function makeLogEvent(n: number, overrides: Partial<LogEvent> = {}): LogEvent {
  const ts = new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + n).toISOString();
  return {
    '@timestamp': ts,
    message: `order ${n} placed`,
    log: { level: 'info', format: 'pino' },
    service: { name: 'orders' },
    transaction: { id: `tx-${Math.floor(n / 4)}` },
    event: { id: cwlEventId(n), ingested: ts },
    aws: {
      cloudwatch: { log_group: '/aws/lambda/orders', log_stream: '2024/05/01/[$LATEST]0123456789abcdef' },
    },
    attributes: {
      orderId: n,
      items: [{ sku: `sku-${n % 7}`, qty: (n % 3) + 1 }],
      customer: { tier: 'gold' },
    },
    ...overrides,
  };
}

/** `count` events `makeLogEvent(start + i, overrides)`. */
export function makeLogEvents(count: number, overrides: Partial<LogEvent> = {}, start = 0): LogEvent[] {
  return Array.from({ length: count }, (_, i) => makeLogEvent(start + i, overrides));
}
