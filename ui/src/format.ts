import { colorOf } from './palette.js';
import type { TimeZoneMode } from './time-range.js';
import { displayZone } from './time-zone.js';

/** The colour of a service: distinct among the services on screen (see `palette.ts`). */
export const serviceColor = (name: string): string => colorOf(name);

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The calendar fields of an instant in a display zone. */
function fields(t: number, zone: TimeZoneMode) {
  const d = new Date(t);
  return zone === 'utc'
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ]
    : [
        d.getFullYear(),
        d.getMonth() + 1,
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ];
}

/** `14:03:07.123` in the display zone (used where the date is shown nearby, e.g. a trace's steps). */
export function clock(iso: string | number, zone: TimeZoneMode = displayZone()): string {
  const [, , , h, mi, s, ms] = fields(new Date(iso).getTime(), zone);
  return `${pad(h!)}:${pad(mi!)}:${pad(s!)}.${pad(ms!, 3)}`;
}

/** `2026-12-05 14:03:07.123` in the display zone: the one time format of the explorer. */
export function dateTime(iso: string | number, zone: TimeZoneMode = displayZone()): string {
  const [y, mo, d] = fields(new Date(iso).getTime(), zone);
  return `${y}-${pad(mo!)}-${pad(d!)} ${clock(iso, zone)}`;
}

/** The display zone as people read it: `UTC`, or the local offset at `t`, e.g. `UTC+05:30`. */
export function zoneName(zone: TimeZoneMode = displayZone(), t = Date.now()): string {
  if (zone === 'utc') return 'UTC';
  const off = -new Date(t).getTimezoneOffset();
  if (off === 0) return 'UTC+00:00';
  const a = Math.abs(off);
  return `UTC${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** A duration for people: `850 ms`, `1.24 s`, `3m 05s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${pad(Math.round((ms % 60_000) / 1000))}s`;
}

/** A count with thousands separators. */
export const count = (n: number): string => n.toLocaleString('en');
