import type { LogEvent } from '../transform/schema.js';
import type { TraceServiceSpan, TraceSummary } from './types.js';

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
