/**
 * The timing loop of the search-scale bench (`search/scale.bench.ts`): runs each query kind after a
 * warm-up and gives p50/p95 and the peak RSS, against the embedded store or, side by side, an
 * OpenSearch node filled with the same traffic.
 */
import { type FillResult, fillStore } from '../bench/scale-data.js';
import type { SearchBackend } from './types.js';

/** Timed runs per kind, after one warm-up. */
export const REPEAT = 20;

/** One query kind of the bench: a name for the table and the search it times. */
export interface Kind {
  readonly name: string;
  run(b: SearchBackend, i: number): Promise<unknown>;
}

/** One query kind's times, its match count, and from when it counted when it stopped at its budget. */
interface Result {
  readonly p50: number;
  readonly p95: number;
  readonly total?: number;
  readonly countedFrom?: number;
  /** How many of the timed runs stopped at their budget (partial counts). */
  readonly partialRuns: number;
  /**
   * Why the answer was partial, when one of the runs was (the last partial run's `reason`, and
   * its `unindexed` / `numberRollup` when set): the bench's table says it beside the count.
   */
  readonly partialWhy?: string;
}

type Partial = { countedFrom: number; reason: string; unindexed?: string; numberRollup?: string };

/** A partial answer's why, as the bench's table prints it. */
const why = (p: Partial): string =>
  [p.reason, p.unindexed && `unindexed \`${p.unindexed}\``, p.numberRollup].filter(Boolean).join('; ');

const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};

/** Runs every kind `REPEAT` times (after one warm-up); p50/p95 wall ms and the peak RSS seen. */
export async function runKinds(
  b: SearchBackend,
  ks: readonly Kind[],
  log: (l: string) => void,
): Promise<{ results: Map<string, Result>; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const results = new Map<string, Result>();
  try {
    for (const k of ks) {
      const first = (await k.run(b, 0)) as { total?: number; partial?: Partial };
      const times: number[] = [];
      let partialRuns = 0;
      let partialWhy = first.partial && why(first.partial);
      for (let i = 1; i <= REPEAT; i++) {
        const t0 = performance.now();
        const answer = (await k.run(b, i)) as { partial?: Partial } | undefined;
        times.push(performance.now() - t0);
        if (answer?.partial) {
          partialRuns++;
          partialWhy = why(answer.partial);
        }
      }
      const r: Result = {
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        total: first.total,
        countedFrom: first.partial?.countedFrom,
        partialRuns,
        ...(partialWhy ? { partialWhy } : {}),
      };
      results.set(k.name, r);
      log(`scale: ${k.name}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
    }
  } finally {
    clearInterval(timer);
  }
  return { results, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
}

export async function openSearchSide(
  url: string,
  events: number,
  end: number,
  seed: number,
  ks: readonly Kind[],
  log: (l: string) => void,
): Promise<{
  results: Awaited<ReturnType<typeof runKinds>>['results'];
  fill: FillResult;
  stop(): Promise<void>;
}> {
  const { openSearchParts } = await import('../local/opensearch.js');
  const node = url;
  const prefix = `sluice-logs-scale${Date.now().toString(36)}`;
  const parts = await openSearchParts(
    { kind: 'opensearch', url: node, index_prefix: prefix },
    {
      async put() {},
    },
  );
  log(`scale: filling OpenSearch (${node}, ${prefix}-*) with ${events} events …`);
  const fill = await fillStore(parts.sink, { events, end, days: 7, seed, log });
  await fetch(`${node}/${prefix}-*/_refresh`, { method: 'POST' });
  const { results } = await runKinds(parts.search, ks, log);
  return {
    results,
    fill,
    async stop() {
      await fetch(`${node}/${prefix}-*`, { method: 'DELETE' }).catch(() => undefined);
      await parts.sink.close();
    },
  };
}
