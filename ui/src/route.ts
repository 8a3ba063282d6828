// The explorer's state lives in its URL: `/` or `/trace/<id>`, with `q`, `range`, `from`, `to`.
import { DEFAULT_RANGE, resolveRange } from './time-range.js';

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
    range: url.searchParams.get('range') ?? DEFAULT_RANGE,
    from: num('from'),
    to: num('to'),
  };
}

/** The URL of a route (defaults left out, so shared links stay short). */
export function routeUrl(r: Route): string {
  const p = new URLSearchParams();
  if (r.q) p.set('q', r.q);
  if (r.range !== DEFAULT_RANGE) p.set('range', r.range);
  if (r.range === 'custom' && r.from !== undefined && r.to !== undefined) {
    p.set('from', String(r.from));
    p.set('to', String(r.to));
  }
  const qs = p.size ? `?${p}` : '';
  return r.trace ? `/trace/${encodeURIComponent(r.trace)}${qs}` : `/${qs}`;
}

/** The epoch-ms bounds a route searches now (see `resolveRange`: an unreadable range falls back). */
export function timeRange(r: Route): { from?: number; to?: number } {
  const { from, to } = resolveRange(r, Date.now());
  return { from, to };
}
