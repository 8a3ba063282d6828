import { SluiceError } from '../../core/errors.js';
import type { FieldSummary } from '../../search/field-sample.js';
import type { ServiceMap } from '../../search/service-map.js';
import type {
  EventContext,
  PageResponse,
  SearchResponse,
  TailResponse,
  TraceResponse,
} from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';

export type { LogEvent, SearchResponse, TailResponse, TraceResponse };

/**
 * Where a query is malformed, as the API answers it (`QuerySyntaxError.toJSON()` in
 * `search/errors.ts`): offset and length in the query, what was found, what was expected.
 */
export interface QueryProblem {
  readonly message: string;
  readonly position: number;
  readonly length: number;
  readonly found: string;
  readonly expected: readonly string[];
  readonly suggestion?: string;
}

/** The code of an {@link ApiError} when no answer came at all (the server stopped or is unreachable). */
const DISCONNECTED = 'DISCONNECTED';

/** True when `err` says the server did not answer (not that it answered with an error). */
export const isDisconnected = (err: unknown): boolean => err instanceof ApiError && err.code === DISCONNECTED;

/** The field list's answer: top values of every field in the newest `sample` matching events. */
export interface FieldsResponse {
  sample: number;
  fields: FieldSummary[];
}

/** What a result list asks for: query, time range and order. */
export interface ListParams {
  q: string;
  from?: number;
  to?: number;
  /** The API's `sort` (`asc` or `<field>:<dir>`); absent for newest first. */
  sort?: string;
}

/** The URL of an export of a result list (a download: the browser fetches it with the page's cookie). */
export function exportUrl(p: ListParams, format: 'ndjson' | 'csv', columns: readonly string[]): string {
  const qs = new URLSearchParams({ format });
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') qs.set(k, String(v));
  if (format === 'csv') qs.set('columns', ['@timestamp', ...columns].join(','));
  return `/api/export?${qs}`;
}

/** An error answer of the API (shown under the search bar). */
export class ApiError extends SluiceError {
  constructor(
    message: string,
    readonly position?: number,
    /** The API's stable error code (`error.code` of the answer), `HTTP_<status>` when it gave none. */
    code = 'API_ERROR',
    /** For `SEARCH_QUERY_SYNTAX`: where and what (the query error under the search bar). */
    readonly query?: QueryProblem,
  ) {
    super(code, message);
  }
}

async function get<T>(
  path: string,
  params: Record<string, string | number | undefined> = {},
  signal?: AbortSignal,
): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  let res: Response;
  try {
    res = await fetch(`${path}${qs.size ? `?${qs}` : ''}`, { signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    // fetch rejects only when no answer came at all: the server is gone or unreachable
    throw new ApiError('the sluice server did not answer', undefined, DISCONNECTED);
  }
  const body = (await res.json()) as T & {
    error?: { code?: string; message: string; position?: number } & Partial<QueryProblem>;
  };
  if (!res.ok) {
    const e = body.error;
    const query =
      e?.code === 'SEARCH_QUERY_SYNTAX' && typeof e.position === 'number'
        ? {
            message: e.message,
            position: e.position,
            length: e.length ?? 1,
            found: e.found ?? '',
            expected: e.expected ?? [],
            suggestion: e.suggestion,
          }
        : undefined;
    throw new ApiError(
      e?.message ?? `HTTP ${res.status}`,
      e?.position,
      e?.code ?? `HTTP_${res.status}`,
      query,
    );
  }
  return body;
}

/** Pipeline counters and facts from `/api/stats`. */
export interface Stats {
  received: number;
  indexed: number;
  dropped: number;
  redacted: number;
  deadLettered: number;
  queued: number;
  backend: string;
  sources: string[];
}

export const api = {
  search: (p: ListParams & { limit?: number; offset?: number; exact?: 1 }, signal?: AbortSignal) =>
    get<SearchResponse>('/api/search', { ...p, buckets: 80 }, signal),
  page: (p: ListParams & { after: string; limit: number }, signal?: AbortSignal) =>
    get<PageResponse>('/api/events', { ...p }, signal),
  fields: (p: ListParams, signal?: AbortSignal) =>
    get<FieldsResponse>('/api/fields', { q: p.q, from: p.from, to: p.to }, signal),
  event: (id: string, n: number) => get<EventContext>(`/api/event/${encodeURIComponent(id)}`, { n }),
  trace: (id: string) => get<TraceResponse>(`/api/trace/${encodeURIComponent(id)}`),
  tail: (q: string, cursor?: string) => get<TailResponse>('/api/tail', { q, cursor }),
  services: (p: { from?: number; to?: number }) => get<ServiceMap>('/api/services', p),
  stats: () => get<Stats>('/api/stats'),
};
