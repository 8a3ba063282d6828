import type { Client } from '@opensearch-project/opensearch';
import { CONTEXT_WINDOW_MS, contextScope } from './context-scope.js';
import { decodePageCursor, encodePageCursor, type SortOrder } from './cursor.js';
import { SearchBackendError, SearchRequestError } from './errors.js';
import { fillBuckets, pickInterval } from './histogram.js';
import { decodeCursor, encodeCursor, type Hit, pageOf, shortHash, sortedPageOf } from './opensearch-page.js';
import { buildOpenSearchQuery, type DslQuery } from './opensearch-query.js';
import { transactionServices } from './opensearch-service-map.js';
import { fieldSortClauses, sortBy } from './opensearch-sort.js';
import type { ParsedQuery } from './query-ast.js';
import { decodeSortCursor, type SortSpec, sortKind } from './sort.js';
import { assembleTrace, requestIdsOf } from './trace.js';
import type {
  EventContext,
  FacetCount,
  PageRequest,
  PageResponse,
  RequestTransactions,
  SearchBackend,
  SearchRequest,
  SearchResponse,
  TailResponse,
} from './types.js';

/** Options of {@link createOpenSearchSearch}. */
export interface OpenSearchSearchOptions {
  readonly client: Client;
  /** Index pattern searched (default `sluice-logs-*`: every Sluice index and data stream). */
  readonly indexPattern?: string;
  readonly now?: () => number;
  /** How far back a tail looks for events indexed late (refresh, retries), ms. Default 5000. */
  readonly tailLagMs?: number;
}

type Body = Record<string, unknown>;
/**
 * The search API over OpenSearch (indices / data streams matching `sluice-logs-*`, mapped by the
 * OpenSearch sink's template). Queries are built as structured DSL (see `buildOpenSearchQuery`).
 */
export function createOpenSearchSearch(opts: OpenSearchSearchOptions): SearchBackend {
  const index = opts.indexPattern ?? 'sluice-logs-*';
  const now = opts.now ?? Date.now;
  const lag = opts.tailLagMs ?? 5000;

  async function call(body: Body): Promise<Body> {
    try {
      const res = await opts.client.search({
        index,
        ignore_unavailable: true,
        allow_no_indices: true,
        body,
      } as never);
      return res.body as unknown as Body;
    } catch (err) {
      throw new SearchBackendError(`OpenSearch search failed: ${(err as Error).message}`, { cause: err });
    }
  }
  const hits = (r: Body): Hit[] => ((r.hits as { hits?: Hit[] } | undefined)?.hits ?? []) as Hit[];

  /** One page after the cursor `after` in time order (search_after on time and `event.id`). */
  async function page(
    query: DslQuery,
    sort: SortOrder,
    limit: number,
    after?: string,
  ): Promise<PageResponse> {
    let searchAfter: unknown[] | undefined;
    if (after !== undefined) {
      const key = decodePageCursor(after, sort);
      if (typeof key.tie !== 'string') throw new SearchRequestError('bad page cursor: not one of this store');
      searchAfter = [key.t, key.tie];
    }
    const r = await call({
      query,
      sort: sortBy(sort),
      size: limit + 1,
      track_total_hits: false,
      ...(searchAfter ? { search_after: searchAfter } : {}),
    });
    return pageOf(hits(r), limit, sort);
  }

  /** One page in a field's order (see `fieldSortClauses`), after the cursor `after`. */
  async function sortedPage(
    query: DslQuery,
    sort: SortSpec,
    limit: number,
    after?: string,
  ): Promise<PageResponse> {
    const key = after === undefined ? undefined : decodeSortCursor(after, sort);
    if (key && typeof key.tie !== 'string')
      throw new SearchRequestError('bad page cursor: not one of this store');
    const r = await call({
      query,
      sort: fieldSortClauses(sort),
      size: limit + 1,
      track_total_hits: false,
      ...(key ? { search_after: [key.v, key.t, key.tie] } : {}),
    });
    return sortedPageOf(hits(r), limit, sort);
  }

  return {
    kind: 'opensearch',
    async page(req: PageRequest): Promise<PageResponse> {
      if (req.sortBy && sortKind(req.sortBy) !== 'time')
        return sortedPage(
          buildOpenSearchQuery(req.query, { from: req.from, to: req.to }, now()),
          req.sortBy,
          req.limit,
          req.after,
        );
      return page(
        buildOpenSearchQuery(req.query, { from: req.from, to: req.to }, now()),
        req.sortBy?.order ?? req.sort ?? 'desc',
        req.limit,
        req.after,
      );
    },
    async context(id: string, n: number): Promise<EventContext | undefined> {
      const r = await call({
        query: { bool: { filter: [{ term: { 'event.id': { value: id } } }] } },
        size: 1,
      });
      const event = hits(r)[0]?._source;
      if (!event) return undefined;
      const t = Date.parse(event['@timestamp']);
      const scope = contextScope(event);
      const side = (sort: SortOrder): Promise<PageResponse> => {
        const range = sort === 'asc' ? { lte: t + CONTEXT_WINDOW_MS } : { gte: t - CONTEXT_WINDOW_MS };
        const filter: DslQuery[] = [{ range: { '@timestamp': { ...range, format: 'epoch_millis' } } }];
        for (const [field, value] of Object.entries(scope)) filter.push({ term: { [field]: { value } } });
        return page({ bool: { filter } }, sort, n, encodePageCursor({ sort, t, tie: id }));
      };
      const [before, after] = await Promise.all([side('desc'), side('asc')]);
      return { event, scope, before: [...before.events].reverse(), after: after.events };
    },
    async search(req: SearchRequest): Promise<SearchResponse> {
      const started = performance.now();
      const to = req.to ?? now();
      let from = req.from;
      if (from === undefined) {
        const r = await call({
          size: 0,
          query: buildOpenSearchQuery(req.query, { to }, now()),
          aggs: { min: { min: { field: '@timestamp' } } },
        });
        const min = (r.aggregations as { min?: { value?: number | null } } | undefined)?.min?.value;
        from = typeof min === 'number' ? min : to - 15 * 60_000;
      }
      if (from >= to) throw new SearchRequestError('the time range is empty: expected from < to');
      const intervalMs = pickInterval(from, to, req.buckets ?? 60);
      const fieldSort = req.sortBy && sortKind(req.sortBy) !== 'time' ? req.sortBy : undefined;
      const terms = (field: string) => ({
        terms: { field, size: 50, order: [{ _count: 'desc' }, { _key: 'asc' }] },
      });
      const r = await call({
        query: buildOpenSearchQuery(req.query, { from, to }, now()),
        sort: fieldSort ? fieldSortClauses(fieldSort) : sortBy(req.sortBy?.order ?? req.sort ?? 'desc'),
        from: req.offset,
        size: req.limit + 1,
        track_total_hits: true,
        aggs: {
          histogram: {
            date_histogram: { field: '@timestamp', fixed_interval: `${intervalMs}ms`, min_doc_count: 1 },
            aggs: { errors: { filter: { terms: { 'log.level': ['error', 'fatal'] } } } },
          },
          service: terms('service.name'),
          level: terms('log.level'),
        },
      });
      const aggs = (r.aggregations ?? {}) as Record<
        string,
        { buckets?: { key: number | string; doc_count: number; errors?: { doc_count: number } }[] }
      >;
      const counts = new Map(
        (aggs.histogram?.buckets ?? []).map((b) => [
          Number(b.key),
          { count: b.doc_count, errors: b.errors?.doc_count ?? 0 },
        ]),
      );
      const facet = (name: string): FacetCount[] =>
        (aggs[name]?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
      const total = (r.hits as { total?: { value?: number } }).total?.value ?? 0;
      return {
        total,
        ...(fieldSort
          ? sortedPageOf(hits(r), req.limit, fieldSort)
          : pageOf(hits(r), req.limit, req.sortBy?.order ?? req.sort ?? 'desc')),
        histogram: { from, to, intervalMs, buckets: fillBuckets(from, to, intervalMs, counts) },
        facets: { service: facet('service'), level: facet('level') },
        tookMs: Math.round(performance.now() - started),
      };
    },
    async trace(transactionId: string, limit = 2000) {
      const r = await call({
        query: { bool: { filter: [{ term: { 'transaction.id': { value: transactionId } } }] } },
        sort: [{ '@timestamp': { order: 'asc' } }, { 'event.id': { order: 'asc' } }],
        size: limit + 1,
      });
      const all = hits(r).map((h) => h._source);
      const own = all.slice(0, limit);
      const ids = requestIdsOf(own);
      const linked =
        ids.length === 0
          ? []
          : hits(
              await call({
                query: {
                  bool: {
                    filter: [{ terms: { 'faas.execution': ids } }],
                    must_not: [{ exists: { field: 'transaction.id' } }],
                  },
                },
                sort: [{ '@timestamp': { order: 'asc' } }, { 'event.id': { order: 'asc' } }],
                size: limit + 1,
              }),
            ).map((h) => h._source);
      return assembleTrace({
        transactionId,
        own,
        ownTruncated: all.length > limit,
        linked: linked.slice(0, limit),
        linkedTruncated: linked.length > limit,
      });
    },
    async requestTransactions(requestIds: readonly string[]): Promise<RequestTransactions> {
      const ids = [...new Set(requestIds)].slice(0, 1000);
      if (ids.length === 0) return {};
      const r = await call({
        size: 0,
        query: {
          bool: { filter: [{ terms: { 'faas.execution': ids } }, { exists: { field: 'transaction.id' } }] },
        },
        aggs: {
          request: {
            terms: { field: 'faas.execution', size: ids.length },
            aggs: { tx: { terms: { field: 'transaction.id', size: 2, order: { _key: 'asc' } } } },
          },
        },
      });
      type Bucket = { key: string; tx?: { buckets?: { key: string }[] } };
      const buckets = (r.aggregations as { request?: { buckets?: Bucket[] } } | undefined)?.request?.buckets;
      const out: Record<string, string[]> = Object.create(null);
      for (const b of buckets ?? []) out[b.key] = (b.tx?.buckets ?? []).map((t) => t.key);
      return out;
    },
    transactionServices: (req) => transactionServices(call, req),
    async tail(query: ParsedQuery, cursor: string | undefined, limit = 200): Promise<TailResponse> {
      if (cursor === undefined) return { events: [], cursor: encodeCursor({ t: now(), seen: [] }) };
      const c = decodeCursor(cursor);
      const seen = new Set(c.seen);
      const base = buildOpenSearchQuery(query, {}, now()) as { bool: { filter: unknown[] } };
      base.bool.filter.push({ range: { 'event.ingested': { gte: c.t - lag, format: 'epoch_millis' } } });
      const r = await call({
        query: base,
        sort: [{ 'event.ingested': { order: 'asc' } }, { 'event.id': { order: 'asc' } }],
        size: Math.min(10_000, limit + seen.size),
      });
      const fresh = hits(r)
        .map((h) => h._source)
        .filter((e) => !seen.has(shortHash(e.event.id)))
        .slice(0, limit);
      const latest = Math.max(c.t, ...fresh.map((e) => Date.parse(e.event.ingested)).filter(Number.isFinite));
      // Remember what was delivered inside the look-back window, so it is not delivered twice.
      const keep = [...hits(r).map((h) => h._source)]
        .filter((e) => Date.parse(e.event.ingested) >= latest - lag)
        .map((e) => shortHash(e.event.id))
        .filter((h) => seen.has(h) || fresh.some((e) => shortHash(e.event.id) === h));
      return { events: fresh, cursor: encodeCursor({ t: latest, seen: [...new Set(keep)].slice(-2000) }) };
    },
    async close() {},
  };
}
