import type { LogEvent } from '../transform/schema.js';

/**
 * Where an invocation's start and end come from: `platform` when Lambda's own START, END/
 * `platform.runtimeDone` or REPORT lines were found for its request id; `log_lines` when only the
 * component's log lines were (the bar then runs from its first to its last line).
 */
export type SpanSource = 'platform' | 'log_lines';

/**
 * How an invocation ended: `ok`; `error` (an error line or a REPORT status other than success);
 * `timeout` (`Task timed out …`, or a REPORT / `platform.runtimeDone` with status `timeout`);
 * `unfinished` (a START without END or REPORT, e.g. still running or its end not ingested).
 */
export type InvocationStatus = 'ok' | 'error' | 'timeout' | 'unfinished';

/** One Lambda invocation (or one service's log lines when no request id ties them) in a trace. */
export interface Invocation {
  /** The Lambda request id (`faas.execution`); absent for a service's lines without one. */
  readonly requestId?: string;
  readonly service: string;
  readonly source: SpanSource;
  /** Epoch ms. */
  readonly start: number;
  readonly end: number;
  /** REPORT's `Duration` when there is one, else `end - start`. */
  readonly durationMs: number;
  readonly billedDurationMs?: number;
  /** Present on a cold start: REPORT's `Init Duration`. */
  readonly initDurationMs?: number;
  readonly memorySizeMb?: number;
  readonly maxMemoryUsedMb?: number;
  /** True on a cold start (REPORT with Init Duration, or a logger's `cold_start`). */
  readonly coldStart: boolean;
  readonly version?: string;
  readonly status: InvocationStatus;
  /** Events at level error or fatal among {@link eventIds}. */
  readonly errors: number;
  /** `event.id` of every event of the invocation (platform lines included), oldest first. */
  readonly eventIds: readonly string[];
  /**
   * Nesting depth in the waterfall: 0 at the top, parent + 1 for an invocation that starts inside
   * another one of the trace (e.g. a function the first one called synchronously).
   */
  readonly depth: number;
}

const isError = (e: LogEvent): boolean => e.log.level === 'error' || e.log.level === 'fatal';
const TIMED_OUT = /Task timed out after/;
const time = (e: LogEvent): number => Date.parse(e['@timestamp']);
const platformOf = (e: LogEvent): string | undefined => e.lambda?.platform;

function statusAttr(e: LogEvent): string | undefined {
  const s = e.attributes['status'];
  return typeof s === 'string' ? s : undefined;
}

function isTimeout(e: LogEvent): boolean {
  const p = platformOf(e);
  if ((p === 'report' || p === 'runtime_done') && statusAttr(e) === 'timeout') return true;
  const text = e.error?.message ?? e.message;
  return typeof text === 'string' && TIMED_OUT.test(text.slice(0, 200));
}

/** One attempt of a request id: the events from its START up to its REPORT. */
interface Attempt {
  readonly requestId: string;
  readonly events: LogEvent[];
  startEvent?: LogEvent;
  endEvent?: LogEvent;
  reportEvent?: LogEvent;
}

/**
 * Splits the events of one request id (oldest first) into attempts: a START begins one, a REPORT
 * closes it. An asynchronous invocation that Lambda retries keeps its request id, so one id can
 * have several START…REPORT runs.
 */
function attempts(requestId: string, events: readonly LogEvent[]): Attempt[] {
  const out: Attempt[] = [];
  let cur: Attempt | undefined;
  for (const e of events) {
    const p = platformOf(e);
    if (p === 'start' && cur && (cur.startEvent || cur.reportEvent)) cur = undefined;
    if (!cur || cur.reportEvent) {
      cur = { requestId, events: [] };
      out.push(cur);
    }
    cur.events.push(e);
    if (p === 'start') cur.startEvent = e;
    else if (p === 'end' || p === 'runtime_done') cur.endEvent ??= e;
    else if (p === 'report') cur.reportEvent = e;
  }
  return out;
}

type Draft = Omit<Invocation, 'depth'>;

function fromAttempt(a: Attempt): Draft {
  const times = a.events.map(time);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const report = a.reportEvent?.lambda?.report;
  const platform = a.startEvent !== undefined || a.endEvent !== undefined || a.reportEvent !== undefined;
  let start = a.startEvent ? time(a.startEvent) : first;
  if (!a.startEvent && report?.duration_ms !== undefined && a.reportEvent)
    start = Math.min(first, time(a.reportEvent) - report.duration_ms);
  let end = last;
  if (report?.duration_ms !== undefined && a.startEvent) end = Math.max(last, start + report.duration_ms);
  const appLine = a.events.find((e) => platformOf(e) === undefined);
  const errors = a.events.filter(isError).length;
  const timedOut = a.events.some(isTimeout);
  const finished = a.endEvent !== undefined || a.reportEvent !== undefined;
  let status: InvocationStatus = 'ok';
  if (timedOut) status = 'timeout';
  else if (errors > 0) status = 'error';
  else if (a.startEvent && !finished) status = 'unfinished';
  const out: { -readonly [K in keyof Draft]: Draft[K] } = {
    requestId: a.requestId,
    service: (appLine ?? a.events[0]!).service.name,
    source: platform ? 'platform' : 'log_lines',
    start,
    end,
    durationMs: report?.duration_ms ?? end - start,
    coldStart: report?.init_duration_ms !== undefined || a.events.some((e) => e.faas?.coldstart === true),
    status,
    errors,
    eventIds: a.events.map((e) => e.event.id),
  };
  if (report?.billed_duration_ms !== undefined) out.billedDurationMs = report.billed_duration_ms;
  if (report?.init_duration_ms !== undefined) out.initDurationMs = report.init_duration_ms;
  if (report?.memory_size_mb !== undefined) out.memorySizeMb = report.memory_size_mb;
  if (report?.max_memory_used_mb !== undefined) out.maxMemoryUsedMb = report.max_memory_used_mb;
  const version = a.startEvent?.lambda?.version;
  if (version !== undefined) out.version = version;
  return out;
}

/** A service's lines that carry no request id: today's first-to-last bar, marked `log_lines`. */
function fromServiceLines(service: string, events: readonly LogEvent[]): Draft {
  const times = events.map(time);
  const start = Math.min(...times);
  const end = Math.max(...times);
  const errors = events.filter(isError).length;
  return {
    service,
    source: 'log_lines',
    start,
    end,
    durationMs: end - start,
    coldStart: events.some((e) => e.faas?.coldstart === true),
    status: events.some(isTimeout) ? 'timeout' : errors > 0 ? 'error' : 'ok',
    errors,
    eventIds: events.map((e) => e.event.id),
  };
}

/** Depth of each invocation: one more than the latest-starting earlier one that encloses it. */
function withDepth(drafts: Draft[]): Invocation[] {
  const out: Invocation[] = [];
  for (const d of drafts) {
    let depth = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      const p = out[i]!;
      if (p.source === 'platform' && p.start <= d.start && d.end <= p.end) {
        depth = p.depth + 1;
        break;
      }
    }
    out.push({ ...d, depth });
  }
  return out;
}

/**
 * Builds the invocations of a trace from its events (any order): one per request id attempt
 * (START → END/REPORT, with REPORT's figures), or, for a request id without platform lines, its
 * first to last line; lines without a request id give one `log_lines` span per service. Sorted by
 * start (then service). Pure.
 */
export function buildInvocations(events: readonly LogEvent[]): Invocation[] {
  const sorted = [...events]
    .filter((e) => Number.isFinite(time(e)))
    .sort((a, b) => time(a) - time(b) || rank(a) - rank(b));
  const byRequest = new Map<string, LogEvent[]>();
  const byService = new Map<string, LogEvent[]>();
  for (const e of sorted) {
    const id = e.faas?.execution;
    const map = id === undefined ? byService : byRequest;
    const key = id ?? e.service.name;
    const list = map.get(key);
    if (list) list.push(e);
    else map.set(key, [e]);
  }
  const drafts: Draft[] = [];
  for (const [id, list] of byRequest) for (const a of attempts(id, list)) drafts.push(fromAttempt(a));
  for (const [service, list] of byService) drafts.push(fromServiceLines(service, list));
  drafts.sort(
    (a, b) =>
      a.start - b.start ||
      b.end - a.end ||
      a.service.localeCompare(b.service) ||
      (a.requestId ?? '').localeCompare(b.requestId ?? ''),
  );
  return withDepth(drafts);
}

/** START first, then log lines, then END, then REPORT, for events at the same millisecond. */
function rank(e: LogEvent): number {
  const p = platformOf(e);
  if (p === 'start') return 0;
  if (p === 'end' || p === 'runtime_done') return 2;
  if (p === 'report') return 3;
  return 1;
}
