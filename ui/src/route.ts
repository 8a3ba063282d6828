// The explorer's state lives in its URL: `/`, `/trace/<id>` or `/event/<id>`, with `q`, `range`,
// `from`, `to`, filter pills (`f`, repeated), `sort` and `cols` (the result list's columns).
import { parseSort, printSort, type SortSpec } from '../../search/sort.js';
import { combineQuery } from './query-text.js';
import { DEFAULT_RANGE, resolveRange } from './time-range.js';

/** What the URL says: a search (and maybe an open trace), its query and time range. */
export interface Route {
  trace?: string;
  /** An event opened on its own page (permalink), with its surrounding events. */
  event?: string;
  q: string;
  range: string;
  from?: number;
  to?: number;
  /** Filter pills (query clauses, e.g. `service.name:"pay svc"`), all of which must hold. */
  filters?: readonly string[];
  /**
   * The result list's order as the API's `sort` parameter (`search/sort.ts`): `asc` (oldest first)
   * or `<field>:<asc|desc>`; absent for the default, newest first.
   */
  sort?: string;
  /** Columns of the result list (field paths) when not the default ones. */
  cols?: readonly string[];
}

/** The result list's columns when the URL names none (after the time, which is always shown). */
export const DEFAULT_COLUMNS: readonly string[] = ['log.level', 'service.name', 'message', 'transaction.id'];

/** The query a route searches: its text and its filter pills. */
export const routeQuery = (r: Route): string => combineQuery(r.q, r.filters ?? []);

/** The route's columns. */
export const routeColumns = (r: Route): readonly string[] => r.cols ?? DEFAULT_COLUMNS;

/** A `sort` of the URL as the API reads it, or undefined for the default or one it would refuse. */
function readSort(raw: string | null): string | undefined {
  try {
    const printed = printSort(parseSort(raw));
    return printed === 'desc' ? undefined : printed;
  } catch {
    return undefined;
  }
}

/** The route's sort (newest first when it names none). */
export const routeSort = (r: Route): SortSpec => parseSort(r.sort);

/** The route of the current page URL. */
export function readRoute(): Route {
  const url = new URL(window.location.href);
  const m = /^\/trace\/(.+)$/.exec(url.pathname);
  const ev = /^\/event\/(.+)$/.exec(url.pathname);
  const cols = url.searchParams.get('cols');
  const num = (k: string): number | undefined =>
    url.searchParams.has(k) ? Number(url.searchParams.get(k)) : undefined;
  return {
    trace: m ? decodeURIComponent(m[1]!) : undefined,
    event: ev ? decodeURIComponent(ev[1]!) : undefined,
    q: url.searchParams.get('q') ?? '',
    filters: url.searchParams.getAll('f').filter((f) => f !== ''),
    sort: readSort(url.searchParams.get('sort')),
    cols: cols === null ? undefined : cols.split(',').filter((c) => c !== ''),
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
  for (const f of r.filters ?? []) p.append('f', f);
  if (r.sort !== undefined) p.set('sort', r.sort);
  if (r.cols && r.cols.join(',') !== DEFAULT_COLUMNS.join(',')) p.set('cols', r.cols.join(','));
  const qs = p.size ? `?${p}` : '';
  if (r.trace) return `/trace/${encodeURIComponent(r.trace)}${qs}`;
  return r.event ? `/event/${encodeURIComponent(r.event)}${qs}` : `/${qs}`;
}

/** The epoch-ms bounds a route searches now (see `resolveRange`: an unreadable range falls back). */
export function timeRange(r: Route): { from?: number; to?: number } {
  const { from, to } = resolveRange(r, Date.now());
  return { from, to };
}
