import { SluiceError } from '../../core/errors.js';
import { MAX_CURSOR_LENGTH } from '../../search/cursor.js';
import {
  QuerySyntaxError,
  SearchBusyError,
  SearchRequestError,
  SearchStoppedError,
} from '../../search/errors.js';
import { summarizeFields } from '../../search/field-sample.js';
import { parseQuery } from '../../search/query.js';
import { buildServiceMap } from '../../search/service-map.js';
import { parseSort, sortKind } from '../../search/sort.js';
import { linkRequests } from '../../search/trace.js';
import type { SearchBackend } from '../../search/types.js';

/** A JSON answer: status and body. */
export interface JsonReply {
  readonly status: number;
  readonly body: unknown;
}

function int(
  params: URLSearchParams,
  name: string,
  fallback: number | undefined,
  min: number,
  max: number,
): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new SearchRequestError(`parameter ${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** Events sampled for the field list (the newest matching ones, as Discover's "500 sample records"). */
export const FIELD_SAMPLE = 500;

/**
 * The `q`, `from`, `to` and `sort` of a request (shared by search, pages, fields and export):
 * `sort` is `desc`/`asc` (time) or `<field>:<asc|desc>` (`search/sort.ts`).
 */
export function readRange(params: URLSearchParams) {
  const sortBy = parseSort(params.get('sort'));
  return {
    query: parseQuery(params.get('q') ?? ''),
    from: int(params, 'from', undefined, 0, 8.64e15),
    to: int(params, 'to', undefined, 1, 8.64e15),
    sort: sortKind(sortBy) === 'time' ? sortBy.order : ('desc' as const),
    sortBy,
  };
}

/** The `after` cursor of a page request, bounded in length. */
function cursorParam(params: URLSearchParams): string | undefined {
  const after = params.get('after');
  if (after === null || after === '') return undefined;
  if (after.length > MAX_CURSOR_LENGTH) throw new SearchRequestError('the page cursor is too long');
  return after;
}

/** A path parameter (`/api/<what>/<id>`), percent-decoded and bounded. */
function pathId(path: string, prefix: string, what: string): string {
  let id: string;
  try {
    id = decodeURIComponent(path.slice(prefix.length));
  } catch {
    throw new SearchRequestError(`the ${what} is not valid percent-encoding: expected e.g. ${prefix}id%2D1`);
  }
  if (id.length === 0 || id.length > 1024)
    throw new SearchRequestError(`a ${what} of 1 to 1024 characters is expected`);
  return id;
}

/** Turns a thrown error into a JSON error reply (typed errors are the client's fault: 400). */
export function errorReply(err: unknown): JsonReply {
  if (err instanceof QuerySyntaxError) {
    return { status: 400, body: { error: err.toJSON() } };
  }
  if (err instanceof SearchRequestError)
    return { status: 400, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof SearchBusyError)
    return { status: 429, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof SearchStoppedError)
    return { status: 503, body: { error: { code: err.code, message: err.message } } };
  const code = err instanceof SluiceError ? err.code : 'INTERNAL';
  return {
    status: 500,
    body: { error: { code, message: err instanceof Error ? err.message : 'internal error' } },
  };
}

/**
 * The search API over HTTP (`GET /api/search|events|fields|event/:id|trace/:id|tail|services`), answered
 * from `search`. Parameters: `q` (query language), `from`/`to` (epoch ms), `sort` (`desc`|`asc`|`<field>:<dir>`),
 * `limit`, `offset`, `after` (a page's `next`), `buckets`, `exact` (`1`: count every match, see
 * `SearchRequest.exact`; without it a SQLite count past its budget is `partial: {countedFrom,
 * reason: 'budget' | 'no-index', unindexed?, numberRollup?}`, `SearchResponse.partial`), `n`,
 * `cursor`. `/api/export` streams (see `export.ts`).
 * A search answer, a further page and a tail answer add `links`: request id → transaction ids,
 * for the rows that carry a Lambda request id but no transaction id.
 */
export async function handleApi(
  path: string,
  params: URLSearchParams,
  search: SearchBackend,
): Promise<JsonReply | undefined> {
  try {
    if (path === '/api/search') {
      const range = readRange(params);
      const offset = int(params, 'offset', 0, 0, 10_000) ?? 0;
      if (offset > 0 && sortKind(range.sortBy) !== 'time')
        throw new SearchRequestError(
          'parameter offset works with a time sort only: page a field sort with after',
        );
      const res = await search.search({
        ...range,
        limit: int(params, 'limit', 50, 1, 500) ?? 50,
        offset,
        buckets: int(params, 'buckets', 60, 1, 500),
        exact: params.get('exact') === '1',
      });
      // Rows such as START/REPORT carry no transaction id: link them through their request id.
      return { status: 200, body: { ...res, links: await linkRequests(search, res.events) } };
    }
    if (path === '/api/events') {
      const page = await search.page({
        ...readRange(params),
        limit: int(params, 'limit', 100, 1, 500) ?? 100,
        after: cursorParam(params),
      });
      return { status: 200, body: { ...page, links: await linkRequests(search, page.events) } };
    }
    if (path === '/api/fields') {
      const sample = int(params, 'sample', FIELD_SAMPLE, 1, FIELD_SAMPLE) ?? FIELD_SAMPLE;
      const page = await search.page({
        ...readRange(params),
        sort: 'desc',
        sortBy: undefined,
        limit: sample,
      });
      return { status: 200, body: { sample: page.events.length, fields: summarizeFields(page.events, 5) } };
    }
    if (path.startsWith('/api/event/')) {
      const id = pathId(path, '/api/event/', 'event id');
      const context = await search.context(id, int(params, 'n', 10, 0, 100) ?? 10);
      if (!context)
        return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no event has this event.id' } } };
      return { status: 200, body: context };
    }
    if (path.startsWith('/api/trace/')) {
      return { status: 200, body: await search.trace(pathId(path, '/api/trace/', 'transaction id')) };
    }
    if (path === '/api/services') {
      const to = int(params, 'to', Date.now(), 1, 8.64e15) ?? Date.now();
      const from = int(params, 'from', to - 15 * 60_000, 0, 8.64e15) ?? to - 15 * 60_000;
      if (from >= to) throw new SearchRequestError('the time range is empty: expected from < to');
      const maxTransactions = int(params, 'max', 1000, 1, 5000) ?? 1000;
      const { rows, sampled } = await search.transactionServices({ from, to, maxTransactions });
      return { status: 200, body: buildServiceMap(rows, { from, to, sampled }) };
    }
    if (path === '/api/tail') {
      const query = parseQuery(params.get('q') ?? '');
      const cursor = params.get('cursor') ?? undefined;
      if (cursor !== undefined && cursor.length > 20_000)
        throw new SearchRequestError('the tail cursor is too long');
      const tail = await search.tail(query, cursor, int(params, 'limit', 200, 1, 1000));
      return { status: 200, body: { ...tail, links: await linkRequests(search, tail.events) } };
    }
    return undefined;
  } catch (err) {
    return errorReply(err);
  }
}
