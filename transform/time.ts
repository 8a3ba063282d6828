const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * ISO 8601 UTC with milliseconds for epoch milliseconds, or `undefined` when the value cannot be
 * written in that form (NaN, infinite, outside years 0000–9999).
 */
export function isoFromMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  return new Date(ms).toISOString();
}

/**
 * Reads a log line's time field: epoch milliseconds (pino), epoch seconds (values below 1e11,
 * fractions kept to the ms), or a date string (ISO 8601 with any precision or offset, RFC 2822).
 * Returns ISO 8601 UTC with milliseconds, or `undefined` when the value is not a usable time.
 */
export function toIsoMs(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return isoFromMs(Math.abs(value) < 1e11 ? Math.round(value * 1000) : Math.trunc(value));
  }
  if (typeof value !== 'string' || value.length < 8 || value.length > 64) return undefined;
  const c = value.charCodeAt(0);
  if (c >= 48 && c <= 57 && /^\d+(?:\.\d+)?$/.test(value)) return toIsoMs(Number(value));
  return isoFromMs(Date.parse(value));
}
