const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

// Two-entry cache of the `YYYY-MM-DDTHH:MM:` prefix: events of a batch share their minute, and
// a batch interleaves two (the lines' own times and the CloudWatch timestamps of lines without
// one, or the ingestion time), so a single entry missed on most alternations.
let cachedMinute = Number.NaN;
let cachedPrefix = '';
let otherMinute = Number.NaN;
let otherPrefix = '';

/**
 * ISO 8601 UTC with milliseconds for epoch milliseconds (fractions truncated, as `Date` does), or
 * `undefined` when the value cannot be written in that form (NaN, infinite, outside 0000–9999).
 */
export function isoFromMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  const t = Math.trunc(ms);
  const minute = Math.floor(t / 60000);
  if (minute !== cachedMinute) {
    const prefix = minute === otherMinute ? otherPrefix : new Date(minute * 60000).toISOString().slice(0, 17);
    otherMinute = cachedMinute;
    otherPrefix = cachedPrefix;
    cachedMinute = minute;
    cachedPrefix = prefix;
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
  if (c >= 48 && c <= 57) {
    if (/^\d+(?:\.\d+)?$/.test(value)) return toIsoMs(Number(value));
    const local = dateTimeMs(value);
    if (local !== undefined) return isoFromMs(local);
  }
  // Date.parse reads a year-less text ("Feb 20 11:28:15") as 2001: a guess, so it is not taken.
  if (!FOUR_DIGITS.test(value)) return undefined;
  return isoFromMs(Date.parse(value));
}

const FOUR_DIGITS = /\d{4}/;

// `YYYY-MM-DD[T ]HH:MM[:SS[.,fraction]][ ][Z|±HH[:]MM]` — ISO 8601 and the forms Python's
// logging (`2021-05-03 11:47:12,494+0000`), Ruby's Logger and log4j write. Bounded, no nesting.
const DATE_TIME =
  /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)? ?(Z|[+-]\d\d(?::?\d\d)?)?$/;

/**
 * Epoch ms of a date-time in the {@link DATE_TIME} form (NaN when it names no real instant), or
 * `undefined` when the text is not in that form. A time without a zone is
 * read as UTC (the zone of Lambda and of most containers), never in the zone of the machine that
 * runs the pipeline.
 */
export function dateTimeMs(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return Number.NaN;
  const ms = frac === undefined ? 0 : Math.trunc(Number(`0.${frac}`) * 1000);
  // 31 April rolls over to 1 May, as `Date.parse` does for ISO strings.
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.charCodeAt(0) === 45 ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const off = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    if (off > 18 * 60) return Number.NaN;
    t -= sign * off * 60000;
  }
  return t;
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

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const DAY_MS = 86_400_000;
// `Mmm dd hh:mm:ss` (RFC 3164: the day is space-padded).
const YEARLESS = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)$/;

/**
 * Epoch ms of a year-less syslog time (RFC 3164 `Mmm dd hh:mm:ss`, read as UTC), completed with
 * the year that puts it closest to `refMs` (the event's CloudWatch timestamp) and not more than a
 * day after it — as rsyslog and Vector do: a `Dec 31 23:59:59` line ingested on 1 January is of
 * the year before, a `Jan  1 00:00:01` line ingested a second before midnight of 31 December is
 * of the year after. `undefined` when the text names no real date (`Feb 30`, `25:00:00`), or
 * when `refMs` is not a time.
 */
export function yearlessMs(text: string, refMs: number): number | undefined {
  const m = YEARLESS.exec(text);
  if (!m || !Number.isFinite(refMs)) return undefined;
  const idx = MONTHS.indexOf(m[1]!);
  if (idx === -1 || idx % 3 !== 0) return undefined;
  const month = idx / 3;
  const day = Number(m[2]!.trim());
  const [h, min, s] = [Number(m[3]), Number(m[4]), Number(m[5])];
  if (day < 1 || day > 31 || h > 23 || min > 59 || s > 59) return undefined;
  const refYear = new Date(refMs).getUTCFullYear();
  // The latest candidate not more than a day after the reference is the closest one; `Feb 29`
  // needs a leap year, at most eight years back.
  for (let year = refYear + 1; year >= refYear - 8; year--) {
    const t = Date.UTC(year, month, day, h, min, s);
    if (new Date(t).getUTCDate() !== day) continue; // no such day in that year (Feb 29, Apr 31)
    if (t <= refMs + DAY_MS) return t;
  }
  return undefined;
}
