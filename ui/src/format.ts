const PALETTE = [
  '#60a5fa',
  '#f472b6',
  '#34d399',
  '#fbbf24',
  '#a78bfa',
  '#22d3ee',
  '#fb923c',
  '#a3e635',
  '#e879f9',
  '#2dd4bf',
];

/** A stable colour per service name. */
export function serviceColor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `14:03:07.123` in local time. */
export function clock(iso: string | number): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `Nov 26 14:03:07.123`. */
export function dateTime(iso: string | number): string {
  const d = new Date(iso);
  return `${d.toLocaleString('en', { month: 'short' })} ${d.getDate()} ${clock(iso)}`;
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
