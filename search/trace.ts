import type { LogEvent } from '../transform/schema.js';
import { buildInvocations } from './spans.js';
import type {
  RequestTransactions,
  SearchBackend,
  TraceResponse,
  TraceServiceSpan,
  TraceSummary,
} from './types.js';

/** At most this many request ids of one transaction (or one result page) are looked up. */
export const MAX_LINKED_REQUESTS = 500;

const isError = (e: LogEvent): boolean => e.log.level === 'error' || e.log.level === 'fatal';

/**
 * Summarises the events of one transaction (already sorted oldest first) for the timeline view:
 * overall span, services in order of appearance with their spans, error counts and the largest
 * silences between consecutive events. Pure.
 */
export function summarizeTrace(events: readonly LogEvent[]): TraceSummary {
  if (events.length === 0) return { start: 0, end: 0, durationMs: 0, errorCount: 0, services: [], gaps: [] };
  const times = events.map((e) => Date.parse(e['@timestamp']));
  const start = Math.min(...times);
  const end = Math.max(...times);
  const spans = new Map<
    string,
    { service: string; start: number; end: number; events: number; errors: number }
  >();
  let errorCount = 0;
  const gaps: { after: number; durationMs: number }[] = [];
  events.forEach((e, i) => {
    const t = times[i] ?? start;
    const err = isError(e);
    if (err) errorCount += 1;
    const name = e.service.name;
    const span = spans.get(name);
    if (span) {
      span.start = Math.min(span.start, t);
      span.end = Math.max(span.end, t);
      span.events += 1;
      if (err) span.errors += 1;
    } else {
      spans.set(name, { service: name, start: t, end: t, events: 1, errors: err ? 1 : 0 });
    }
    const prev = i > 0 ? times[i - 1] : undefined;
    if (prev !== undefined && t - prev > 0) gaps.push({ after: prev, durationMs: t - prev });
  });
  gaps.sort((a, b) => b.durationMs - a.durationMs);
  const services: TraceServiceSpan[] = [...spans.values()].sort((a, b) => a.start - b.start);
  return { start, end, durationMs: end - start, errorCount, services, gaps: gaps.slice(0, 3) };
}

/** The distinct Lambda request ids (`faas.execution`) of `events`, in order, at most {@link MAX_LINKED_REQUESTS}. */
export function requestIdsOf(events: readonly LogEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    const id = e.faas?.execution;
    if (id !== undefined && id !== '') ids.add(id);
    if (ids.size >= MAX_LINKED_REQUESTS) break;
  }
  return [...ids];
}

const PLATFORM_RANK: Readonly<Record<string, number>> = { start: 0, end: 2, runtime_done: 2, report: 3 };
const rank = (e: LogEvent): number => PLATFORM_RANK[e.lambda?.platform ?? ''] ?? 1;

/**
 * The trace answer from a transaction's own events (oldest first, at most `limit`) and the events
 * its request ids link (events without a transaction id; at most `limit`): merged oldest first
 * (START before the lines of the same millisecond, END and REPORT after), summarised, and cut
 * into invocations. Pure; both backends answer through it, so linking means the same on each.
 */
export function assembleTrace(o: {
  transactionId: string;
  own: readonly LogEvent[];
  ownTruncated: boolean;
  linked: readonly LogEvent[];
  linkedTruncated: boolean;
}): TraceResponse {
  const seen = new Set(o.own.map((e) => e.event.id));
  const linked = o.linked.filter((e) => e.transaction === undefined && !seen.has(e.event.id));
  const events = [...o.own, ...linked]
    .map((e, i) => ({ e, i, t: Date.parse(e['@timestamp']) }))
    .sort((a, b) => a.t - b.t || rank(a.e) - rank(b.e) || a.i - b.i)
    .map((x) => x.e);
  return {
    transactionId: o.transactionId,
    events,
    truncated: o.ownTruncated || o.linkedTruncated,
    linked: linked.length,
    summary: summarizeTrace(events),
    invocations: buildInvocations(events),
  };
}

/**
 * For the rows of a result page that carry a request id but no transaction id (START, END,
 * REPORT, `Task timed out`…): the transactions their request ids belong to, looked up in one
 * query. Empty when no row needs one.
 */
export async function linkRequests(
  search: Pick<SearchBackend, 'requestTransactions'>,
  events: readonly LogEvent[],
): Promise<RequestTransactions> {
  const ids = requestIdsOf(events.filter((e) => e.transaction === undefined));
  return ids.length === 0 ? {} : search.requestTransactions(ids);
}
