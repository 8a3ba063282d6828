import { SearchRequestError } from './errors.js';

/** Sort order of a result list by time: newest first (`desc`, the default) or oldest first. */
export type SortOrder = 'desc' | 'asc';

/**
 * Where a page ended, in its sort order: the last event's time (epoch ms) and a tiebreaker that
 * is unique per event and fixed once stored (the SQLite store's row number, OpenSearch's
 * `event.id`). The next page holds the events strictly after this key — a search_after cursor,
 * so events stored meanwhile never shift a page (unlike an offset).
 */
export interface PageKey {
  readonly sort: SortOrder;
  readonly t: number;
  readonly tie: number | string;
}

/** Longest cursor accepted (a key holds one event id, at most 1024 characters). */
export const MAX_CURSOR_LENGTH = 2048;

/** An opaque, URL-safe cursor for {@link PageKey}. Pure. */
export function encodePageCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.sort, key.t, key.tie])).toString('base64url');
}

/**
 * Reads a cursor written by {@link encodePageCursor}; it must be for `sort` (a cursor of the other
 * order would start the page at the wrong end). Throws {@link SearchRequestError} otherwise. Pure.
 */
export function decodePageCursor(cursor: string, sort: SortOrder): PageKey {
  const bad = (why: string): SearchRequestError =>
    new SearchRequestError(`bad page cursor (${why}): expected the "next" value a previous page returned`);
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw bad('not a cursor');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor');
  }
  if (!Array.isArray(v) || v.length !== 3) throw bad('not a cursor');
  const [s, t, tie] = v as unknown[];
  if (s !== 'asc' && s !== 'desc') throw bad('not a cursor');
  if (s !== sort) throw bad(`it is for sort=${s}, not sort=${sort}`);
  if (typeof t !== 'number' || !Number.isSafeInteger(t)) throw bad('not a cursor');
  const tieOk =
    (typeof tie === 'number' && Number.isSafeInteger(tie)) ||
    (typeof tie === 'string' && tie.length > 0 && tie.length <= 1024);
  if (!tieOk) throw bad('not a cursor');
  return { sort: s, t, tie: tie as number | string };
}

/** Reads a `sort` parameter (absent = newest first). Pure. */
export function parseSortOrder(raw: string | null | undefined): SortOrder {
  if (raw === null || raw === undefined || raw === '' || raw === 'desc') return 'desc';
  if (raw === 'asc') return 'asc';
  throw new SearchRequestError('parameter sort must be desc (newest first) or asc (oldest first)');
}
