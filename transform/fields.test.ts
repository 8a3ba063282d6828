import { describe, expect, it } from 'vitest';
import { errorFromObject, errorFromStack } from './error-fields.js';
import { idToString, parseSpanId, parseTraceId, recoverDigits } from './ids.js';
import { normalizeLevel } from './levels.js';
import { toIsoMs } from './time.js';

describe('normalizeLevel', () => {
  it.each([
    [10, 'trace'],
    [20, 'debug'],
    [30, 'info'],
    [35, 'info'],
    [40, 'warn'],
    [50, 'error'],
    [60, 'fatal'],
    [99, 'fatal'],
    ['INFO', 'info'],
    ['Warning', 'warn'],
    ['ERROR', 'error'],
    ['silly', 'trace'],
    ['verbose', 'debug'],
    ['critical', 'fatal'],
    ['30', 'info'],
    [5, undefined],
    ['loud', undefined],
    ['', undefined],
    [null, undefined],
    [Number.NaN, undefined],
  ])('%j → %s', (input, expected) => {
    expect(normalizeLevel(input)).toBe(expected);
  });
});

describe('toIsoMs', () => {
  it.each([
    [1714564800123, '2024-05-01T12:00:00.123Z'],
    [1714564800.5, '2024-05-01T12:00:00.500Z'],
    ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T12:00:00.123456Z', '2024-05-01T12:00:00.123Z'],
    ['2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
    ['1714564800123', '2024-05-01T12:00:00.123Z'],
    ['yesterday', undefined],
    // Python logging / Powertools (comma before the ms, offset without a colon)
    ['2021-05-03 11:47:12,494+0000', '2021-05-03T11:47:12.494Z'],
    ['2021-05-03 11:47:12,494-0400', '2021-05-03T15:47:12.494Z'],
    // zone-less: read as UTC, never in the zone of the machine running the pipeline
    ['2026-12-05 15:20:01', '2026-12-05T15:20:01.000Z'],
    ['2025-01-26T09:46:34.324230', '2025-01-26T09:46:34.324Z'],
    ['2016-06-07T03:44:57.8532799Z', '2016-06-07T03:44:57.853Z'],
    // no year: Date.parse would say 2001, which is a guess
    ['Feb 20 11:28:15.096', undefined],
    ['2024-05-01 25:00:00', undefined],
    [1e20, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [{}, undefined],
  ])('%j → %s', (input, expected) => {
    expect(toIsoMs(input)).toBe(expected);
  });
});

describe('parseSpanId', () => {
  it.each([
    ['00f067aa0ba902b7', '00f067aa0ba902b7'],
    ['EEE19B7EC3C1B174', 'eee19b7ec3c1b174'],
    ['0x00f067aa0ba902b7', '00f067aa0ba902b7'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00f067aa0ba902b7'],
    ['0000000000000000', undefined],
    ['4bf92f3577b34da6a3ce929d0e0e4736', undefined],
    ['Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8', undefined],
    [42, undefined],
  ])('%j → %s', (input, expected) => {
    expect(parseSpanId(input)).toBe(expected);
  });
});

describe('parseTraceId', () => {
  it.each([
    [
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      '1-5759e988-bd862e3fe1be46a994272793',
    ],
    ['1-5759e988-bd862e3fe1be46a994272793', '1-5759e988-bd862e3fe1be46a994272793'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['4BF92F3577B34DA6A3CE929D0E0E4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['0x4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', undefined],
    ['Parent=53995c3f42cd8ad8;Sampled=1', undefined],
    ['not a trace id at all, just some words', undefined],
    [42, undefined],
  ])('%j → %s', (input, expected) => {
    expect(parseTraceId(input)).toBe(expected);
  });
});

describe('ids', () => {
  it('recovers the digits of an unsafe integer from the source text', () => {
    const source = '{"a":{"txId":1},"txId":12345678901234567891}';
    const value = (JSON.parse(source) as { txId: number }).txId;
    expect(recoverDigits(source, 'txId', value)).toBe('12345678901234567891');
    expect(idToString(value, 'txId', source)).toBe('12345678901234567891');
  });

  it('falls back to the parsed value when the source does not hold the key', () => {
    expect(idToString(2 ** 64, 'x', '{}')).toBe('18446744073709551616');
  });

  it.each([
    ['abc', 'abc'],
    [42, '42'],
    [1.5, '1.5'],
    ['', undefined],
    [true, undefined],
    [{ id: 1 }, undefined],
  ])('%j → %s', (input, expected) => {
    expect(idToString(input, 'k', undefined)).toBe(expected);
  });
});

describe('error fields', () => {
  it('reads type and message from the first line of a stack', () => {
    expect(errorFromStack('Error [ERR_X]: nope\n    at a (b.js:1:1)')).toMatchObject({
      type: 'Error',
      message: 'nope',
    });
    expect(errorFromStack('something odd\n    at a (b.js:1:1)')).toEqual({
      stack_trace: 'something odd\n    at a (b.js:1:1)',
    });
  });

  it('keeps the other keys of an error object', () => {
    expect(errorFromObject({ message: 'm', code: 'E', statusCode: 500 })).toEqual({
      fields: { message: 'm' },
      rest: { code: 'E', statusCode: 500 },
    });
    expect(errorFromObject({ code: 'E' })).toBeUndefined();
  });
});

describe('isoFromMs', () => {
  it('matches Date#toISOString for any instant in years 0000–9999', async () => {
    const fc = (await import('fast-check')).default;
    const { isoFromMs } = await import('./time.js');
    fc.assert(
      fc.property(fc.double({ min: -62167219200000, max: 253402300799999, noNaN: true }), (ms) => {
        expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 3000 },
    );
  });

  it('matches Date#toISOString on sequences that interleave a few minutes (its prefix cache)', async () => {
    const fc = (await import('fast-check')).default;
    const { isoFromMs } = await import('./time.js');
    const base = Date.UTC(2024, 4, 1, 12);
    // Offsets within three neighbouring minutes (and a far one), in any order.
    const instant = fc.oneof(
      fc.integer({ min: -60_000, max: 120_000 }).map((d) => base + d),
      fc.integer({ min: 0, max: 59_999 }).map((d) => Date.UTC(2026, 11, 6, 1) + d + 0.5),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 40 }), (list) => {
        for (const ms of list) expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a canonical ISO string only when it names a real date', () => {
    expect(toIsoMs('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(toIsoMs('2023-02-29T00:00:00.000Z')).toBe('2023-03-01T00:00:00.000Z');
    expect(toIsoMs('2024-04-31T00:00:00.000Z')).toBe('2024-05-01T00:00:00.000Z');
    expect(toIsoMs('2024-13-01T00:00:00.000Z')).toBeUndefined();
  });
});
