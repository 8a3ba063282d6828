// The time-range picker's language, pure (no DOM, no clock: `now` is passed in).
//
// A relative range counts back from now: `15m`, `now-2d`, `last 4 hours`, `past 90 minutes`, `last
// hour`. A time expression is one end of an absolute range: `now`, `now-15m`, `now+5m`, an epoch in
// milliseconds, or a date `2026-12-05`, `2026-12-05 14:03`, `2026-12-05T14:03:07.250Z`,
// `2026-12-05 14:03:07+01:00` (without an offset it is read in the display time zone).

/** How times are shown and how a date without an offset is read. */
export type TimeZoneMode = 'local' | 'utc';

/** The range used when the URL names none, or one that cannot be read. */
export const DEFAULT_RANGE = '15m';

/** The quick choices of the picker (`id` is what the URL holds in `range`). */
export const PRESETS: readonly { id: string; label: string }[] = [
  { id: '5m', label: 'Last 5 minutes' },
  { id: '15m', label: 'Last 15 minutes' },
  { id: '1h', label: 'Last 1 hour' },
  { id: '4h', label: 'Last 4 hours' },
  { id: '24h', label: 'Last 24 hours' },
  { id: '2d', label: 'Last 2 days' },
  { id: '7d', label: 'Last 7 days' },
  { id: 'all', label: 'All time' },
];

const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
} as const;
type Unit = keyof typeof UNIT_MS;

/** Unit words people type, to the unit they mean (`M`/`y` are left out: months and years vary). */
const UNIT_WORDS: Readonly<Record<string, Unit>> = {
  ms: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
};

/** The longest relative range accepted (ten years), so a typo like `now-99999999d` is refused. */
const MAX_SPAN_MS = 3650 * UNIT_MS.d;

/** `[last|past] [N] unit` or `[now-]N unit` (digits then letters: nothing for a regex to backtrack on). */
const RELATIVE = /^(?:(?:last|past)\s+|now\s*-\s*)?(\d{1,9})?\s*([a-z]{1,7})$/;
const OFFSET_EXPR = /^now\s*([+-])\s*(\d{1,9})\s*([a-z]{1,7})$/;
const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(z|[+-]\d{2}:?\d{2})?$/;

/** The length in ms of a relative range (`15m`, `now-2d`, `last 4 hours`), or undefined. */
export function parseRelative(text: string): number | undefined {
  if (/\dM$/.test(text.trim())) return undefined; // `2M` is months elsewhere (Grafana), not minutes
  const m = RELATIVE.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const unit = UNIT_WORDS[m[2]!];
  if (!unit) return undefined;
  // `hour` alone means one; a bare number without a unit never reaches here (the unit is required).
  const n = m[1] === undefined ? 1 : Number(m[1]);
  const ms = n * UNIT_MS[unit];
  return ms > 0 && ms <= MAX_SPAN_MS ? ms : undefined;
}

/** A readable name of a relative range: `Last 15 minutes`, `Last 1 hour`, `Last 90 seconds`. */
export function relativeLabel(ms: number): string {
  const units: [Unit, string][] = [
    ['w', 'week'],
    ['d', 'day'],
    ['h', 'hour'],
    ['m', 'minute'],
    ['s', 'second'],
  ];
  for (const [u, word] of units) {
    const n = ms / UNIT_MS[u];
    if (Number.isInteger(n) && n >= 1) return `Last ${n} ${word}${n === 1 ? '' : 's'}`;
  }
  return `Last ${ms} ms`;
}

/** The short form of a relative range for the URL: `15m`, `4h`, `2d`. */
export function relativeId(ms: number): string {
  for (const u of ['w', 'd', 'h', 'm', 's'] as const) {
    const n = ms / UNIT_MS[u];
    if (Number.isInteger(n) && n >= 1) return `${n}${u}`;
  }
  return `${ms}ms`;
}

/** Either a value or a message saying what was wrong and what was expected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const EXPECTED_TIME = 'expected now, now-15m, a date like 2026-12-05 14:03 or an ISO time';

/** One end of a range, as epoch ms. */
export function parseTimeExpr(text: string, now: number, zone: TimeZoneMode): Parsed<number> {
  const s = text.trim().toLowerCase();
  if (s === '') return { ok: false, message: `a time is missing: ${EXPECTED_TIME}` };
  if (s === 'now') return { ok: true, value: now };
  const off = OFFSET_EXPR.exec(s);
  if (off) {
    const unit = UNIT_WORDS[off[3]!];
    const ms = unit ? Number(off[2]) * UNIT_MS[unit] : Number.NaN;
    if (!(ms <= MAX_SPAN_MS)) return { ok: false, message: `"${text}" is not a time: ${EXPECTED_TIME}` };
    return { ok: true, value: off[1] === '-' ? now - ms : now + ms };
  }
  if (/^\d{10,15}$/.test(s)) return { ok: true, value: Number(s) };
  const d = DATE.exec(s);
  if (d) {
    const [y, mo, day, h = 0, mi = 0, sec = 0] = d.slice(1, 7).map((x) => (x === undefined ? 0 : Number(x)));
    const ms = d[7] === undefined ? 0 : Number(d[7].padEnd(3, '0'));
    const parts = [y!, mo! - 1, day!, h, mi, sec, ms] as const;
    let value: number;
    if (d[8] !== undefined) {
      value = Date.UTC(...parts) - offsetMs(d[8]);
    } else if (zone === 'utc') {
      value = Date.UTC(...parts);
    } else {
      value = new Date(...parts).getTime();
    }
    // Date rolls 2026-02-31 over to March: refuse what did not round-trip.
    const back = new Date(d[8] !== undefined || zone === 'utc' ? Date.UTC(...parts) : value);
    const get = d[8] !== undefined || zone === 'utc' ? utcParts(back) : localParts(back);
    if (get.join() !== parts.join() || Number.isNaN(value))
      return { ok: false, message: `"${text}" is not a calendar date: ${EXPECTED_TIME}` };
    return { ok: true, value };
  }
  return { ok: false, message: `"${text}" is not a time: ${EXPECTED_TIME}` };
}

function offsetMs(z: string): number {
  if (z === 'z') return 0;
  const sign = z.startsWith('-') ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
const utcParts = (d: Date): number[] => [
  d.getUTCFullYear(),
  d.getUTCMonth(),
  d.getUTCDate(),
  d.getUTCHours(),
  d.getUTCMinutes(),
  d.getUTCSeconds(),
  d.getUTCMilliseconds(),
];
const localParts = (d: Date): number[] => [
  d.getFullYear(),
  d.getMonth(),
  d.getDate(),
  d.getHours(),
  d.getMinutes(),
  d.getSeconds(),
  d.getMilliseconds(),
];

/** What the URL says about time: `range` (a relative range, `all` or `custom`) and, for custom, `from`/`to`. */
export interface RangeParams {
  readonly range: string;
  readonly from?: number;
  readonly to?: number;
}

/** A range ready to search: bounds (epoch ms, either may be open), a label, and why the URL was not used. */
export interface ResolvedRange {
  readonly from?: number;
  readonly to?: number;
  readonly label: string;
  /** Set when the URL's range could not be read and the default was used instead. */
  readonly problem?: string;
}

/**
 * How far past now a relative range reaches: sources write a little ahead of the clock (clock skew,
 * the demo), and a range that ended exactly at now would hide their newest events.
 */
export const AHEAD_MS = 5_000;

/** The bounds a route searches at `now`. An unreadable `range` falls back to the default, with a problem. */
export function resolveRange(p: RangeParams, now: number): ResolvedRange {
  if (p.range === 'all') return { to: now + AHEAD_MS, label: 'All time' };
  if (p.range === 'custom') {
    if (p.from !== undefined && p.to !== undefined && Number.isFinite(p.from) && Number.isFinite(p.to)) {
      if (p.from < p.to) return { from: p.from, to: p.to, label: 'custom' };
      return fallback(now, 'The time range in the URL ends before it starts');
    }
    return fallback(now, 'The custom time range in the URL needs from and to (epoch ms)');
  }
  const ms = parseRelative(p.range);
  if (ms === undefined)
    return fallback(
      now,
      `Unknown time range "${p.range.slice(0, 60)}" in the URL: expected e.g. 15m, now-2d or last 4 hours`,
    );
  return { from: now - ms, to: now + AHEAD_MS, label: presetLabel(p.range) ?? relativeLabel(ms) };
}

const presetLabel = (id: string): string | undefined => PRESETS.find((x) => x.id === id)?.label;

function fallback(now: number, problem: string): ResolvedRange {
  const r = resolveRange({ range: DEFAULT_RANGE }, now);
  return { ...r, problem: `${problem} — showing the ${r.label.toLowerCase()} instead.` };
}

/**
 * What the picker's From/To fields mean as URL state: `now-X` → `now` stays relative (`range=X`),
 * anything else becomes an absolute custom range.
 */
export function rangeFromInputs(
  fromText: string,
  toText: string,
  now: number,
  zone: TimeZoneMode,
): Parsed<RangeParams> {
  const to = toText.trim() === '' ? 'now' : toText;
  if (to.trim().toLowerCase() === 'now') {
    const rel = /^\s*now\s*-/i.test(fromText) ? parseRelative(fromText) : undefined;
    if (rel !== undefined) return { ok: true, value: { range: relativeId(rel) } };
  }
  const a = parseTimeExpr(fromText, now, zone);
  if (!a.ok) return { ok: false, message: `From: ${a.message}` };
  const b = parseTimeExpr(to, now, zone);
  if (!b.ok) return { ok: false, message: `To: ${b.message}` };
  if (a.value >= b.value) return { ok: false, message: 'From must be before To' };
  return { ok: true, value: { range: 'custom', from: a.value, to: b.value } };
}

/** What the picker's quick field means (`last 4 hours`, `now-2d`, `90m`, `all`) as URL state. */
export function rangeFromText(text: string): Parsed<RangeParams> {
  const s = text.trim().toLowerCase();
  if (s === 'all' || s === 'all time') return { ok: true, value: { range: 'all' } };
  const ms = parseRelative(s);
  if (ms === undefined)
    return {
      ok: false,
      message: `"${text}" is not a relative range: expected e.g. 15m, now-2d, last 4 hours`,
    };
  return { ok: true, value: { range: presetLabel(s) ? s : relativeId(ms) } };
}
