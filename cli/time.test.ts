import { describe, expect, it } from 'vitest';
import { UsageError } from './command.js';
import { parseTime } from './time.js';

describe('--since / --until times', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);
  it.each([
    ['now', now],
    ['30m', now - 30 * 60_000],
    ['12h', now - 12 * 3_600_000],
    ['7d', now - 7 * 86_400_000],
    ['2026-11-01T00:00:00Z', Date.UTC(2026, 10, 1)],
    ['2026-11-01T01:00:00+01:00', Date.UTC(2026, 10, 1)],
  ])('reads %s', (text, ms) => expect(parseTime(text, now, '--since')).toBe(ms));

  it.each(['yesterday', '2026-11-01', '2026-11-01T00:00:00', '7w', '-1d', ''])(
    'refuses %j with what it expects',
    (text) => {
      expect(() => parseTime(text, now, '--since')).toThrow(UsageError);
      expect(() => parseTime(text, now, '--since')).toThrow(/expected ISO 8601 with a zone/);
    },
  );
});
