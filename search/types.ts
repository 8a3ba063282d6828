import type { LogEvent } from '../transform/schema.js';
import type { SortOrder } from './cursor.js';
import type { ParsedQuery } from './query-ast.js';
import type { TransactionServiceRow } from './service-map.js';
import type { SortSpec } from './sort.js';
import type { Invocation } from './spans.js';

/** One search over a backend. Times are epoch milliseconds; `from` inclusive, `to` exclusive. */
export interface SearchRequest {
  readonly query: ParsedQuery;
  /**
   * Start of the time range; when absent, the oldest matching event (on the SQLite store, the
   * oldest event for a query the rollups do not answer unless `exact`: finding the oldest match
   * could read every event).
   */
  readonly from?: number;
  /** End of the time range; when absent, now. */
  readonly to?: number;
  /** Page size (1…500). */
  readonly limit: number;
  /** Events to skip (paging), newest first. */
  readonly offset: number;
  /** Wanted number of histogram buckets (the interval is rounded to a readable one). */
  readonly buckets?: number;
  /** Time order of `events` (default `desc`, newest first). */
  readonly sort?: SortOrder;
  /** A sort by another field (`search/sort.ts`); when set and not `@timestamp`, it replaces `sort`. */
  readonly sortBy?: SortSpec;
  /**
   * Count every match, however long it takes (bounded only by the search's timeout), instead of
   * stopping at the counting budget (see {@link SearchResponse.partial}).
   */
  readonly exact?: boolean;
}

/**
 * Why a count is partial: `budget` — an index finds the matches, but there were too many to count
 * within the time budget; `no-index` — a part of the query has no index or rollup, so the events
 * of the range were tested one by one, newest first, until the budget ran out.
 */
export type PartialReason = 'budget' | 'no-index';

/** One page of matching events without counts: the next page of a result list, an export slice. */
export interface PageRequest {
  readonly query: ParsedQuery;
  readonly from?: number;
  readonly to?: number;
  /** Page size (1…500). */
  readonly limit: number;
  readonly sort?: SortOrder;
  /** As {@link SearchRequest.sortBy}. */
  readonly sortBy?: SortSpec;
  /** The `next` cursor of the previous page (see `search/cursor.ts`); absent for the first page. */
  readonly after?: string;
}

/** A page of events in the requested order, and the cursor of the next page when there is one. */
export interface PageResponse {
  readonly events: readonly LogEvent[];
  readonly next?: string;
  /**
   * Present when the events were sorted among a window of the newest matches, not all of them
   * (the SQLite store's sort by a number): the window's size, and whether the query had more
   * matches than it holds (then older matches are not in the list).
   */
  readonly sortWindow?: { readonly limit: number; readonly truncated: boolean };
  /** Added by the HTTP API: request id → transactions, for rows with a request id but no transaction id. */
  readonly links?: RequestTransactions;
}

/**
 * One event and its neighbours in time from the same source: the same log stream (of the same log
 * group: stream names repeat across groups) when it has one, else the same `service.name`.
 */
export interface EventContext {
  readonly event: LogEvent;
  /** The fields and values the neighbours share (e.g. log group and log stream). */
  readonly scope: Readonly<Record<string, string>>;
  /** Up to `n` events before it, oldest first. */
  readonly before: readonly LogEvent[];
  /** Up to `n` events after it, oldest first. */
  readonly after: readonly LogEvent[];
}

/** One histogram bucket: events from `start` (epoch ms) for the response's `intervalMs`. */
export interface HistogramBucket {
  readonly start: number;
  readonly count: number;
  /** Events at level `error` or `fatal`. */
  readonly errors: number;
}

/** A value of a facet field and how many matching events carry it. */
export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

/** The answer to a {@link SearchRequest}. */
export interface SearchResponse {
  /** Matching events in the range (exact on SQLite; exact up to OpenSearch's tracking limit). */
  readonly total: number;
  /** The requested page, in the requested order (newest first by default). */
  readonly events: readonly LogEvent[];
  /** Cursor of the page after `events` (for {@link SearchBackend.page}); absent on the last page. */
  readonly next?: string;
  /** As {@link PageResponse.sortWindow}. */
  readonly sortWindow?: PageResponse['sortWindow'];
  readonly histogram: {
    readonly from: number;
    readonly to: number;
    readonly intervalMs: number;
    readonly buckets: readonly HistogramBucket[];
  };
  readonly facets: { readonly service: readonly FacetCount[]; readonly level: readonly FacetCount[] };
  /**
   * Set when counting the matches of a query no index answers ran out of its time budget (the
   * SQLite store, `docs/store.md`): `total`, the histogram and the facets then count the matches
   * in [`countedFrom`, `to`) only — exact there, and `total` is a lower bound for the range.
   * `reason` says why (see {@link PartialReason}). OpenSearch answers are never partial.
   */
  readonly partial?: {
    readonly countedFrom: number;
    readonly reason: PartialReason;
    /**
     * With `no-index`, when known: the part of the query no index or rollup answers, as query
     * text (`attributes.tag:x*`: a prefix without a value dictionary).
     */
    readonly unindexed?: string;
    /** With a number range the number rollups did not answer, when known: why (docs/store.md). */
    readonly numberRollup?: string;
  };
  readonly tookMs: number;
  /**
   * Added by the HTTP API (`linkRequests`): for the page's rows that carry a Lambda request id but
   * no transaction id (START/END/REPORT…), the transactions of that request id.
   */
  readonly links?: RequestTransactions;
}

/**
 * Every event of one transaction, oldest first, with a summary for the timeline. The events
 * include the lines that carry no `transaction.id` but share a Lambda request id
 * (`faas.execution`) with one of the transaction's events: START/END/REPORT, `platform.*`
 * records, `Task timed out` and runtime errors.
 */
export interface TraceResponse {
  readonly transactionId: string;
  readonly events: readonly LogEvent[];
  /** True when the trace had more events (its own or linked) than were returned. */
  readonly truncated: boolean;
  /** How many of `events` were linked through a request id (they carry no `transaction.id`). */
  readonly linked: number;
  readonly summary: TraceSummary;
  /** The Lambda invocations (spans) of the trace, by start; see `buildInvocations`. */
  readonly invocations: readonly Invocation[];
}

/**
 * Transactions of Lambda request ids: for each request id, the ids of the transactions its events
 * carry (at most 2: a second one means the invocation served several transactions).
 */
export type RequestTransactions = Readonly<Record<string, readonly string[]>>;

/** The shape of a trace for the timeline view (see `summarizeTrace`). */
export interface TraceSummary {
  /** First and last event time (epoch ms); 0 when there is no event. */
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  readonly errorCount: number;
  /** Services in order of their first event. */
  readonly services: readonly TraceServiceSpan[];
  /** Largest silences between consecutive events (ms), biggest first (at most 3). */
  readonly gaps: readonly { readonly after: number; readonly durationMs: number }[];
}

/** One service's part in a trace. */
export interface TraceServiceSpan {
  readonly service: string;
  readonly start: number;
  readonly end: number;
  readonly events: number;
  readonly errors: number;
}

/** Events that arrived after `cursor`, oldest first, and the cursor to ask with next time. */
export interface TailResponse {
  readonly events: readonly LogEvent[];
  readonly cursor: string;
  /** Added by the HTTP API, as for {@link PageResponse.links}. */
  readonly links?: RequestTransactions;
}

/**
 * One search API over a store. Implementations: `createSqliteSearch` (the embedded store) and
 * `createOpenSearchSearch` (indices matching `sluice-logs-*`).
 */
export interface SearchBackend {
  /** Which store this searches (shown in the UI). */
  readonly kind: 'sqlite' | 'opensearch';
  search(req: SearchRequest): Promise<SearchResponse>;
  /** A page of matching events (no counts, histogram or facets): paging and exports. */
  page(req: PageRequest): Promise<PageResponse>;
  /**
   * The event with `event.id` = `id` and up to `n` events before and after it from the same log
   * stream; undefined when no event has that id.
   */
  context(id: string, n: number): Promise<EventContext | undefined>;
  /**
   * All events with `transaction.id` = `transactionId`, oldest first (at most `limit`, default
   * 2000), and the events without a transaction id that share a request id with them (at most
   * `limit` more).
   */
  trace(transactionId: string, limit?: number): Promise<TraceResponse>;
  /**
   * The transactions that events of these Lambda request ids carry (for rows such as START/REPORT
   * that have none of their own). Request ids no event with a transaction carries are absent.
   */
  requestTransactions(requestIds: readonly string[]): Promise<RequestTransactions>;
  /**
   * Each service's part (first and last event, events, errors) in the newest `maxTransactions`
   * transactions with events in [`from`, `to`), for the service map; `sampled` when the range had
   * more.
   */
  transactionServices(req: {
    from: number;
    to: number;
    maxTransactions: number;
  }): Promise<{ rows: TransactionServiceRow[]; sampled: boolean }>;
  /**
   * Events that arrived since `cursor` and match `query`, oldest first. Without a cursor it returns
   * no events and the cursor of "now", so the caller tails from here on.
   */
  tail(query: ParsedQuery, cursor: string | undefined, limit?: number): Promise<TailResponse>;
  /**
   * The same backend with its queries stopped when `signal` aborts (the HTTP client went away),
   * for backends that can stop a running query.
   */
  withSignal?(signal: AbortSignal): SearchBackend;
  close(): Promise<void>;
}
