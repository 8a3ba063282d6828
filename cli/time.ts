import { UsageError } from './command.js';

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads a `--since`/`--until` option: ISO 8601 with a zone, `now`, or a duration ago (`30m`, `12h`, `7d`). */
export function parseTime(text: string, now: number, flag: string): number {
  if (text === 'now') return now;
  const ago = /^(\d{1,6})([mhd])$/.exec(text);
  if (ago) return now - Number(ago[1]) * (UNITS[ago[2] ?? 'm'] ?? 0);
  const ms = /^\d{4}-\d{2}-\d{2}T.+(?:Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not a time; expected ISO 8601 with a zone (2026-11-01T00:00:00Z), now, or a duration ago (30m, 12h, 7d)`,
    );
  return ms;
}
