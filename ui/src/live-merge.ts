import type { LogEvent } from '../../transform/schema.js';

/** The most events the live list keeps (the oldest fall off). */
export const LIVE_MAX = 500;

const time = (e: LogEvent): number => Date.parse(e['@timestamp']);

/** Newest first by `@timestamp`, then by `event.id` so equal times keep one order. */
export function newestFirst(a: LogEvent, b: LogEvent): number {
  return time(b) - time(a) || (a.event.id < b.event.id ? 1 : a.event.id > b.event.id ? -1 : 0);
}

/**
 * Merges tailed events into the list on screen by event time (not by arrival: a late event lands
 * where its time puts it), without duplicates, newest first, keeping at most `max`.
 */
export function mergeByTime(
  current: readonly LogEvent[],
  incoming: readonly LogEvent[],
  max = LIVE_MAX,
): LogEvent[] {
  const seen = new Set(current.map((e) => e.event.id));
  const add = incoming.filter((e) => {
    if (seen.has(e.event.id)) return false;
    seen.add(e.event.id);
    return true;
  });
  if (add.length === 0) return [...current];
  return [...current, ...add].sort(newestFirst).slice(0, max);
}
