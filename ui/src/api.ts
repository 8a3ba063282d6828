import { SluiceError } from '../../core/errors.js';
import type { SearchResponse, TailResponse, TraceResponse } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';

export type { LogEvent, SearchResponse, TailResponse, TraceResponse };

/** An error answer of the API (shown under the search bar). */
class ApiError extends SluiceError {
  constructor(
    message: string,
    readonly position?: number,
    /** The API's stable error code (`error.code` of the answer), `HTTP_<status>` when it gave none. */
    code = 'API_ERROR',
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
  const res = await fetch(`${path}${qs.size ? `?${qs}` : ''}`, { signal });
  const body = (await res.json()) as T & { error?: { code?: string; message: string; position?: number } };
  if (!res.ok)
    throw new ApiError(
      body.error?.message ?? `HTTP ${res.status}`,
      body.error?.position,
      body.error?.code ?? `HTTP_${res.status}`,
    );
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
  search: (
    p: { q: string; from?: number; to?: number; limit?: number; offset?: number },
    signal?: AbortSignal,
  ) => get<SearchResponse>('/api/search', { ...p, buckets: 80 }, signal),
  trace: (id: string) => get<TraceResponse>(`/api/trace/${encodeURIComponent(id)}`),
  tail: (q: string, cursor?: string) => get<TailResponse>('/api/tail', { q, cursor }),
  stats: () => get<Stats>('/api/stats'),
};
