import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clock, dateTime, zoneName } from './format.js';

const T = Date.UTC(2026, 11, 5, 23, 4, 5, 67);

describe('the one time format', () => {
  const tz = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = 'Asia/Kolkata'; // UTC+05:30
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('writes date and time with milliseconds, in UTC or local time (the date follows the zone)', () => {
    expect(dateTime(T, 'utc')).toBe('2026-12-05 23:04:05.067');
    expect(dateTime(new Date(T).toISOString(), 'local')).toBe('2026-12-06 04:34:05.067');
    expect(clock(T, 'utc')).toBe('23:04:05.067');
  });

  it('names the zone: UTC, or the local offset', () => {
    expect(zoneName('utc', T)).toBe('UTC');
    expect(zoneName('local', T)).toBe('UTC+05:30');
    process.env.TZ = 'America/New_York';
    expect(zoneName('local', T)).toBe('UTC-05:00');
  });
});
