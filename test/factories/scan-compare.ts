/**
 * Comparisons of a search backend's answers with a full scan of the stored events (`scanReference`),
 * shared by the SQLite range tests.
 */
import { expect } from 'vitest';
import type { PageRequest, SearchBackend, SearchRequest, SearchResponse } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { scanReference } from './scan-reference.js';

/** The timestamps of the events in [from, to) that `match`, oldest first. */
export function scanTimestamps(
  events: readonly LogEvent[],
  match: (e: LogEvent) => boolean,
  from: number,
  to: number,
): string[] {
  return events
    .filter((e) => Date.parse(e['@timestamp']) >= from && Date.parse(e['@timestamp']) < to && match(e))
    .map((e) => e['@timestamp'])
    .sort();
}

/**
 * Expects the answer of `search` to `req` (newest first, then oldest first) to equal a full scan of
 * `events`: total, histogram buckets, service and level facets, first page in both orders. Returns
 * the newest-first answer.
 */
export async function expectSearchEqualsScan(
  search: (req: SearchRequest) => Promise<SearchResponse>,
  req: SearchRequest & { from: number; to: number },
  events: readonly LogEvent[],
  match: (e: LogEvent) => boolean,
): Promise<SearchResponse> {
  const want = scanReference(events, match, req.from, req.to);
  const r = await search(req);
  expect(r.partial).toBeUndefined();
  expect(r.total).toBe(want.total);
  expect(r.histogram.buckets).toEqual(want.buckets);
  expect(r.facets.service).toEqual(want.service);
  expect(r.facets.level).toEqual(want.level);
  expect(r.events.map((e) => e['@timestamp'])).toEqual(want.newest);
  const asc = await search({ ...req, sort: 'asc' });
  expect(asc.events.map((e) => e['@timestamp'])).toEqual(want.oldest);
  return r;
}

/**
 * Pages `req` by cursor from the first page to the last (at most `maxPages` pages) and returns the
 * timestamps of the events in the order they were served.
 */
export async function pageAllTimestamps(
  backend: Pick<SearchBackend, 'page'>,
  req: Omit<PageRequest, 'after'>,
  maxPages = Number.POSITIVE_INFINITY,
): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const p = await backend.page({ ...req, after });
    seen.push(...p.events.map((e) => e['@timestamp']));
    after = p.next;
    pages += 1;
  } while (after !== undefined && pages < maxPages);
  return seen;
}
