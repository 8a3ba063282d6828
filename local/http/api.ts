import { SluiceError } from '../../core/errors.js';
import {
  QuerySyntaxError,
  SearchBusyError,
  SearchRequestError,
  SearchStoppedError,
} from '../../search/errors.js';
import { parseQuery } from '../../search/query.js';
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

/** Turns a thrown error into a JSON error reply (typed errors are the client's fault: 400). */
function errorReply(err: unknown): JsonReply {
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
 * The search API over HTTP (`GET /api/search|trace/:id|tail`), answered from `search`. Parameters:
 * `q` (query language), `from`/`to` (epoch ms), `limit`, `offset`, `buckets`, `cursor`.
 */
export async function handleApi(
  path: string,
  params: URLSearchParams,
  search: SearchBackend,
): Promise<JsonReply | undefined> {
  try {
    if (path === '/api/search') {
      const query = parseQuery(params.get('q') ?? '');
      return {
        status: 200,
        body: await search.search({
          query,
          from: int(params, 'from', undefined, 0, 8.64e15),
          to: int(params, 'to', undefined, 1, 8.64e15),
          limit: int(params, 'limit', 50, 1, 500) ?? 50,
          offset: int(params, 'offset', 0, 0, 10_000) ?? 0,
          buckets: int(params, 'buckets', 60, 1, 500),
        }),
      };
    }
    if (path.startsWith('/api/trace/')) {
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/api/trace/'.length));
      } catch {
        throw new SearchRequestError(
          'the transaction id is not valid percent-encoding: expected e.g. /api/trace/tx%2D1',
        );
      }
      if (id.length === 0 || id.length > 1024)
        throw new SearchRequestError('a transaction id of 1 to 1024 characters is expected');
      return { status: 200, body: await search.trace(id) };
    }
    if (path === '/api/tail') {
      const query = parseQuery(params.get('q') ?? '');
      const cursor = params.get('cursor') ?? undefined;
      if (cursor !== undefined && cursor.length > 20_000)
        throw new SearchRequestError('the tail cursor is too long');
      return { status: 200, body: await search.tail(query, cursor, int(params, 'limit', 200, 1, 1000)) };
    }
    return undefined;
  } catch (err) {
    return errorReply(err);
  }
}
