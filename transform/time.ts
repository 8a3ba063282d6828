const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

// One-entry cache of the `YYYY-MM-DDTHH:MM:` prefix: events of a batch share their minute.
let cachedMinute = Number.NaN;
let cachedPrefix = '';

/**
 * ISO 8601 UTC with milliseconds for epoch milliseconds (fractions truncated, as `Date` does), or
 * `undefined` when the value cannot be written in that form (NaN, infinite, outside 0000–9999).
 */
export function isoFromMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  const t = Math.trunc(ms);
  const minute = Math.floor(t / 60000);
  if (minute !== cachedMinute) {
    cachedPrefix = new Date(minute * 60000).toISOString().slice(0, 17);
    cachedMinute = minute;
  }
  const rem = t - minute * 60000;
  const sec = Math.floor(rem / 1000);
  const milli = rem - sec * 1000;
  return `${cachedPrefix}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/**
 * Reads a log line's time field: epoch milliseconds (pino), epoch seconds (values below 1e11,
 * fractions kept to the ms), or a date string (ISO 8601 with any precision or offset, RFC 2822).
 * Returns ISO 8601 UTC with milliseconds, or `undefined` when the value is not a usable time.
 */
export function toIsoMs(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return isoFromMs(Math.abs(value) < 1e11 ? Math.round(value * 1000) : value);
  }
  if (typeof value !== 'string' || value.length < 8 || value.length > 64) return undefined;
  if (isCanonical(value)) return value;
  const c = value.charCodeAt(0);
  if (c >= 48 && c <= 57 && /^\d+(?:\.\d+)?$/.test(value)) return toIsoMs(Number(value));
  return isoFromMs(Date.parse(value));
}

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` naming a real instant: already in the form we emit. */
function isCanonical(s: string): boolean {
  if (
    s.length !== 24 ||
    s.charCodeAt(23) !== 90 /* Z */ ||
    s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46
  ) {
    return false;
  }
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const ms = digit(s, 20) + digit(s, 21) + digit(s, 22);
  if (
    !(
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      two(s, 11) < 24 &&
      two(s, 14) < 60 &&
      two(s, 17) < 60 &&
      ms >= 0
    )
  ) {
    return false;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}
