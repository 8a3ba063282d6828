import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { logEvent, T0 } from '../../test/factories/search-events.js';
import { attributeToken } from './attributes.js';
import {
  bucketsBetween,
  existsToken,
  fieldTokens,
  numberBucket,
  numberToken,
  termToken,
} from './field-index.js';

describe('number buckets', () => {
  it('puts every number of a range in one of the buckets the range spans (edges, powers of two, signs, extremes)', () => {
    const rng = seededRandom(3);
    const values = [
      0,
      1,
      2,
      4,
      0.5,
      -1,
      -2,
      1e-12,
      -1e-12,
      2 ** 70,
      -(2 ** 70),
      100,
      99.999,
      100.0001,
      1000,
      1024,
    ];
    for (let i = 0; i < 2000; i++) values.push((rng() - 0.5) * 10 ** Math.floor(rng() * 12 - 4));
    for (const v of values) {
      const b = numberBucket(v);
      expect(bucketsBetween(v, v), `${v}`).toContain(b);
      expect(bucketsBetween(v, undefined), `${v}`).toContain(b);
      expect(bucketsBetween(undefined, v), `${v}`).toContain(b);
      expect(bucketsBetween(v - Math.abs(v) / 3 - 1, v + Math.abs(v) / 7 + 1), `${v}`).toContain(b);
    }
  });

  it('spans few buckets for a narrow range and none far outside it', () => {
    const between = bucketsBetween(1000, 1100);
    expect(between.length).toBeLessThanOrEqual(4);
    expect(between).not.toContain(numberBucket(500));
    expect(between).not.toContain(numberBucket(2000));
    expect(bucketsBetween(1000, undefined)).not.toContain(numberBucket(100));
  });
});

describe('fieldTokens', () => {
  const event = logEvent('e1', T0, 'orders', 'error', 'charge failed', {
    transaction: { id: 'tx-1' },
    error: { type: 'CardDeclinedError', message: 'no funds' },
    lambda: {
      platform: 'report',
      report: { duration_ms: 1500.5, billed_duration_ms: 1501, memory_size_mb: 128, max_memory_used_mb: 70 },
    },
    attributes: { order_id: 'ord-1', http: { status: 502 }, tags: ['a', 'b'], list: [1, 2] },
  } as Parameters<typeof logEvent>[5]);
  const tokens = new Set(fieldTokens(event).split(' '));

  it('holds attribute values, string values, present fields and number buckets', () => {
    for (const t of [
      attributeToken('order_id', 'ord-1'),
      attributeToken('http.status', '502'),
      termToken('error.type', 'CardDeclinedError'),
      termToken('lambda.platform', 'report'),
      existsToken('error.type'),
      existsToken('error.message'),
      existsToken('lambda.report.duration_ms'),
      existsToken('attributes.http'),
      existsToken('attributes.http.status'),
      existsToken('attributes.tags'),
      numberToken('lambda.report.duration_ms', numberBucket(1500.5)),
      numberToken('attributes.http.status', numberBucket(502)),
      // a range on an object compares its members
      numberToken('attributes.http', numberBucket(502)),
      numberToken('attributes.list', numberBucket(2)),
    ])
      expect(tokens.has(t), t).toBe(true);
  });

  it('leaves out columns, per-event values, long text and fields every event has', () => {
    for (const t of [
      termToken('log.format', 'pino'),
      termToken('service.name', 'orders'),
      termToken('transaction.id', 'tx-1'),
      existsToken('transaction.id'),
      termToken('event.ingested', event.event.ingested ?? ''),
      termToken('error.message', 'no funds'),
      termToken('message', 'charge failed'),
      existsToken('aws.cloudwatch.log_stream'),
      existsToken('message'),
    ])
      expect(tokens.has(t), t).toBe(false);
    // the stream is a term (surrounding events look it up), though not an exists token
    expect(tokens.has(termToken('aws.cloudwatch.log_stream', '2026/01/01/[$LATEST]abc'))).toBe(true);
  });

  it('gives the same tokens for a stored document (without its column values) as for the event', async () => {
    const { toRow } = await import('./row.js');
    const r = toRow(event);
    if (!r.ok) throw new Error(r.reason);
    expect(new Set(fieldTokens(JSON.parse(r.stored.row.doc)).split(' '))).toEqual(tokens);
  });
});
