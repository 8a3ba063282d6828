/**
 * What a full scan of stored events says for a search, computed without SQL: the total, the
 * histogram buckets, the service and level facets and the newest / oldest 20 timestamps. The SQLite
 * contract tests compare the store's rollup and index paths with it.
 */
import { fillBuckets, pickInterval } from '../../search/histogram.js';
import type { FacetCount } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';

export function scanReference(
  events: readonly LogEvent[],
  match: (e: LogEvent) => boolean,
  from: number,
  to: number,
) {
  const tsOf = (e: LogEvent) => Date.parse(e['@timestamp']);
  const hit = events.filter((e) => tsOf(e) >= from && tsOf(e) < to && match(e));
  const intervalMs = pickInterval(from, to, 80);
  const counts = new Map<number, { count: number; errors: number }>();
  const facet = (key: (e: LogEvent) => string): FacetCount[] => {
    const m = new Map<string, number>();
    for (const e of hit) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
    return [...m]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, 50);
  };
  for (const e of hit) {
    const b = tsOf(e) - (tsOf(e) % intervalMs);
    const c = counts.get(b) ?? { count: 0, errors: 0 };
    c.count += 1;
    if (e.log.level === 'error' || e.log.level === 'fatal') c.errors += 1;
    counts.set(b, c);
  }
  const byTime = [...hit].sort((a, b) => tsOf(b) - tsOf(a));
  return {
    total: hit.length,
    buckets: fillBuckets(from, to, intervalMs, counts),
    service: facet((e) => e.service.name),
    level: facet((e) => e.log.level),
    newest: byTime.slice(0, 20).map((e) => e['@timestamp']),
    oldest: byTime
      .reverse()
      .slice(0, 20)
      .map((e) => e['@timestamp']),
  };
}
