import { describe, expect, it } from 'vitest';
import { logEvent, searchFixture, T0 } from '../../test/factories/search-events.js';
import type { LogEvent } from '../../transform/schema.js';
import {
  attributeHash,
  attributeMatches,
  attributePairs,
  attributeToken,
  MAX_INDEXED_VALUE_CHARS,
} from './attributes.js';
import { decodeDoc, toRow } from './row.js';

const stored = (e: LogEvent) => {
  const r = toRow(e);
  if (!r.ok) throw new Error(r.reason);
  return r.stored;
};

describe('toRow / decodeDoc', () => {
  const cases: [string, LogEvent][] = [
    ...searchFixture().map((e): [string, LogEvent] => [`fixture ${e.event.id}`, e]),
    [
      'transaction and trace with the column values, an empty message',
      logEvent('t1', T0, 'orders', 'warn', '', { transaction: { id: 'tx-1' }, trace: { id: '1-abc-def' } }),
    ],
    ['a service name with quotes and spaces', logEvent('t2', T0 + 1, 'my "svc" x', 'fatal', 'boom')],
  ];
  it.each(cases)('gives back an event deep-equal to the one written (%s)', (_, event) => {
    const s = stored(event);
    expect(decodeDoc(s.row)).toEqual(event);
  });

  it('keeps the column values out of the stored JSON', () => {
    const event = logEvent('0001767225600000', T0, 'payments', 'error', 'declined', {
      transaction: { id: 'tx-columns' },
    });
    const { doc } = stored(event).row;
    const parsed = JSON.parse(doc);
    expect(parsed['@timestamp']).toBeUndefined();
    expect(parsed.event).toEqual({ ingested: event.event.ingested });
    expect(parsed.log).toEqual({ format: 'pino' });
    expect(parsed.service).toBeUndefined();
    expect(parsed.transaction).toBeUndefined();
    expect(doc).not.toContain('tx-columns');
    expect(doc.length).toBeLessThan(JSON.stringify(event).length);
  });

  it('keeps a @timestamp that is not the canonical form of its time in the JSON', () => {
    const event = {
      ...logEvent('t3', T0, 'a', 'info', 'x'),
      '@timestamp': '2026-01-01T12:00:00Z',
    } as LogEvent;
    const s = stored(event);
    expect(s.row.doc).toContain('2026-01-01T12:00:00Z');
    expect(decodeDoc(s.row)).toEqual(event);
  });

  it('hands the message and error text to the full-text index and the attributes to the field index', () => {
    const s = stored(
      logEvent('t4', T0, 'a', 'error', 'charge failed', {
        error: { type: 'TimeoutError', message: 'slow', stack_trace: 'at x' },
        attributes: { order_id: 'ord-9', http: { status: 502 } },
      }),
    );
    expect(s.message).toBe('charge failed');
    expect(s.errorText).toBe('TimeoutError\nslow\nat x');
    const tokens = s.fieldTokens.split(' ');
    expect(tokens).toContain(attributeToken('order_id', 'ord-9'));
    expect(tokens).toContain(attributeToken('http.status', '502'));
  });
});

describe('attributePairs', () => {
  it('flattens nested objects to dotted keys, lists each array element and skips nulls and long values', () => {
    const long = 'x'.repeat(MAX_INDEXED_VALUE_CHARS + 1);
    expect(
      attributePairs({
        a: 'v',
        n: 1.5,
        ok: false,
        nested: { deep: { k: 'z' } },
        tags: ['t1', 2, { in: 'obj' }, ['nested-array']],
        none: null,
        long,
      }),
    ).toEqual([
      ['a', 'v'],
      ['n', '1.5'],
      ['ok', 'false'],
      ['nested.deep.k', 'z'],
      ['tags', 't1'],
      ['tags', '2'],
      ['tags.in', 'obj'],
    ]);
    expect(attributePairs(undefined)).toEqual([]);
    expect(attributePairs(['top', 'level'])).toEqual([]);
  });

  it('matches a stored event by the same flattening, a dotted key and a nested one alike', () => {
    const doc = JSON.stringify({ attributes: { 'http.status': 500, http: { method: 'GET' } } });
    expect(attributeMatches(doc, 'http.status', '500')).toBe(true);
    expect(attributeMatches(doc, 'http.method', 'GET')).toBe(true);
    expect(attributeMatches(doc, 'http.method', 'POST')).toBe(false);
  });

  it('hashes key and value apart (a value moved into the key is another pair)', () => {
    expect(attributeHash('ab', 'c')).not.toBe(attributeHash('a', 'bc'));
    expect(Number.isInteger(attributeHash('k', 'v'))).toBe(true);
    expect(Math.abs(attributeHash('k', 'v'))).toBeLessThan(2 ** 31 + 1);
  });
});
