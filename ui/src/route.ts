// The explorer's state lives in its URL: `/` or `/trace/<id>`, with `q`, `range`, `from`, `to`.

/** Time-range presets of the range picker. */
export const RANGES: readonly { id: string; label: string; ms?: number }[] = [
  { id: '5m', label: 'Last 5 minutes', ms: 5 * 60_000 },
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: 'all', label: 'All time' },
];

/** What the URL says: a search (and maybe an open trace), its query and time range. */
export interface Route {
  trace?: string;
  q: string;
  range: string;
  from?: number;
  to?: number;
}

/** The route of the current page URL. */
export function readRoute(): Route {
  const url = new URL(window.location.href);
  const m = /^\/trace\/(.+)$/.exec(url.pathname);
  const num = (k: string): number | undefined =>
    url.searchParams.has(k) ? Number(url.searchParams.get(k)) : undefined;
  return {
    trace: m ? decodeURIComponent(m[1]!) : undefined,
    q: url.searchParams.get('q') ?? '',
    range: url.searchParams.get('range') ?? '15m',
    from: num('from'),
    to: num('to'),
  };
}

/** The URL of a route (defaults left out, so shared links stay short). */
export function routeUrl(r: Route): string {
  const p = new URLSearchParams();
  if (r.q) p.set('q', r.q);
  if (r.range !== '15m') p.set('range', r.range);
  if (r.range === 'custom' && r.from !== undefined && r.to !== undefined) {
    p.set('from', String(r.from));
    p.set('to', String(r.to));
  }
  const qs = p.size ? `?${p}` : '';
  return r.trace ? `/trace/${encodeURIComponent(r.trace)}${qs}` : `/${qs}`;
}

/** The epoch-ms bounds a route searches (a preset counts back from now). */
export function timeRange(r: Route): { from?: number; to?: number } {
  if (r.range === 'custom' && r.from !== undefined && r.to !== undefined) return { from: r.from, to: r.to };
  const preset = RANGES.find((x) => x.id === r.range);
  const to = Date.now() + 5_000; // the demo writes a little ahead of now
  return preset?.ms ? { from: to - preset.ms - 5_000, to } : { to };
}
