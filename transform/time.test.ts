import { describe, expect, it } from 'vitest';
import { yearlessMs } from './time.js';

const iso = (text: string, ref: string): string | undefined => {
  const t = yearlessMs(text, Date.parse(ref));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('yearlessMs (RFC 3164 time completed with the reference year)', () => {
  it('takes the reference year for a time in the same year', () => {
    expect(iso('Feb 20 11:28:15', '2026-12-05T15:20:01.000Z')).toBe('2026-02-20T11:28:15.000Z');
    expect(iso('Dec  5 15:20:00', '2026-12-05T15:20:01.000Z')).toBe('2026-12-05T15:20:00.000Z');
  });

  it('takes the year before for a December line ingested in January', () => {
    expect(iso('Dec 31 23:59:59', '2027-01-01T00:00:02.000Z')).toBe('2026-12-31T23:59:59.000Z');
    expect(iso('Dec 30 08:00:00', '2027-01-03T10:00:00.000Z')).toBe('2026-12-30T08:00:00.000Z');
  });

  it('takes the year after for a January line up to a day ahead of a 31 December reference', () => {
    expect(iso('Jan  1 00:00:01', '2026-12-31T23:59:59.000Z')).toBe('2027-01-01T00:00:01.000Z');
    expect(iso('Jan  1 23:59:59', '2026-12-31T23:59:59.000Z')).toBe('2027-01-01T23:59:59.000Z');
  });

  it('takes the year before for a time more than a day after the reference', () => {
    expect(iso('Jan  2 00:00:00', '2026-12-31T23:59:59.000Z')).toBe('2026-01-02T00:00:00.000Z');
    // Exactly a day ahead is still taken; a second more is not.
    expect(iso('Dec  6 15:20:02', '2026-12-05T15:20:02.000Z')).toBe('2026-12-06T15:20:02.000Z');
    expect(iso('Dec  6 15:20:02', '2026-12-05T15:20:01.000Z')).toBe('2025-12-06T15:20:02.000Z');
  });

  it('puts Feb 29 in the latest leap year not after the reference', () => {
    expect(iso('Feb 29 12:00:00', '2026-12-05T00:00:00.000Z')).toBe('2024-02-29T12:00:00.000Z');
    expect(iso('Feb 29 12:00:00', '2028-03-01T00:00:00.000Z')).toBe('2028-02-29T12:00:00.000Z');
  });

  it('gives undefined for text that names no real date or time, or an unusable reference', () => {
    const ref = Date.parse('2026-12-05T00:00:00.000Z');
    for (const text of [
      'Feb 30 00:00:00',
      'Foo 01 00:00:00',
      'Jan 01 24:00:00',
      'Jan 00 10:00:00',
      'Jan 1 10:00:00',
    ])
      expect(yearlessMs(text, ref), text).toBeUndefined();
    expect(yearlessMs('Jan  1 00:00:00', Number.NaN)).toBeUndefined();
  });
});
