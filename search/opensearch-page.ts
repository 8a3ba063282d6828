import { createHash } from 'node:crypto';
import type { LogEvent } from '../transform/schema.js';
import { encodePageCursor, type SortOrder } from './cursor.js';
import { SearchRequestError } from './errors.js';
import { encodeSortCursor, type SortSpec } from './sort.js';
import type { PageResponse } from './types.js';

/** A hit of an OpenSearch search answer: the event, and its sort values when sorted. */
export interface Hit {
  _source: LogEvent;
  sort?: unknown[];
}

/** The shown hits of a `limit + 1` read, and the cursor after the last one when there were more. */
export function pageOf(all: readonly Hit[], limit: number, sort: SortOrder): PageResponse {
  const shown = all.slice(0, limit);
  const key = shown.at(-1)?.sort;
  const next =
    all.length > limit && key && typeof key[0] === 'number' && typeof key[1] === 'string'
      ? encodePageCursor({ sort, t: key[0], tie: key[1] })
      : undefined;
  return { events: shown.map((h) => h._source), ...(next ? { next } : {}) };
}

/** As {@link pageOf}, for a field sort: the cursor holds the last hit's three sort values. */
export function sortedPageOf(all: readonly Hit[], limit: number, sort: SortSpec): PageResponse {
  const shown = all.slice(0, limit);
  const key = shown.at(-1)?.sort;
  const v = key?.[0];
  const next =
    all.length > limit &&
    key &&
    (typeof v === 'number' || typeof v === 'string') &&
    typeof key[1] === 'number' &&
    typeof key[2] === 'string'
      ? encodeSortCursor({ sort, v, t: key[1], tie: key[2] })
      : undefined;
  return { events: shown.map((h) => h._source), ...(next ? { next } : {}) };
}

/** A short hash of an `event.id`, as a tail cursor remembers it. */
export const shortHash = (id: string): string =>
  createHash('sha1').update(id).digest('base64url').slice(0, 10);

/** The tail cursor: the newest `event.ingested` delivered and short hashes of the events delivered near it. */
export function encodeCursor(c: { t: number; seen: string[] }): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}
/** Reads a tail cursor of {@link encodeCursor}; a bad one is a {@link SearchRequestError}. */
export function decodeCursor(s: string): { t: number; seen: string[] } {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { t?: unknown; seen?: unknown };
    if (typeof v.t === 'number' && Array.isArray(v.seen) && v.seen.every((x) => typeof x === 'string')) {
      return { t: v.t, seen: v.seen as string[] };
    }
  } catch {
    // fall through
  }
  throw new SearchRequestError('bad tail cursor: expected the cursor a previous tail returned');
}
