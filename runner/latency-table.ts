import { fmt, machine } from '../bench/harness.js';

/** The time-to-searchable bench's set-up (runner/latency.bench.ts) and the table it writes. */
export const RATE = 50;
export const PER_CALL = 5;
/** How often the searcher asks for what became visible. */
export const SEARCH_EVERY_MS = 100;

export interface Probe {
  readonly seq: number;
  readonly sentAt: number;
  seenAt?: number;
}

export const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
export interface Variant {
  readonly name: string;
  readonly probes: Probe[];
  /** Per hop, ms per event (median and p95), where the path exposes it. */
  readonly hops: { name: string; ms: number[] }[];
  readonly note: string;
}

export function renderLatency(variants: readonly Variant[], count: number, load: string): string {
  const s = (ms: number) => fmt(ms / 1000, 2);
  const rows = variants.map((v) => {
    const lat = v.probes.filter((p) => p.seenAt !== undefined).map((p) => p.seenAt! - p.sentAt);
    const missing = v.probes.length - lat.length;
    return `| ${v.name} | ${lat.length}${missing ? ` (${missing} not seen)` : ''} | ${s(pct(lat, 50))} | ${s(pct(lat, 95))} | ${s(pct(lat, 99))} | ${s(Math.max(...lat))} |`;
  });
  const hops = variants.flatMap((v) =>
    v.hops.map((h) => `| ${v.name} | ${h.name} | ${s(pct(h.ms, 50))} | ${s(pct(h.ms, 95))} |`),
  );
  return [
    `Machine: ${machine()}. ${count} events per variant at ${RATE}/s (\`PutLogEvents\` calls of ${PER_CALL}`,
    `events every ${1000 / (RATE / PER_CALL)} ms) into a log group on moto whose subscription filter puts each call's`,
    'events into a 1-shard raw stream; latency = the time a search first returns the event (polled every',
    `${SEARCH_EVERY_MS} ms) − the time just before its \`PutLogEvents\` call. \`sluice run\`: raw → transform → 1-shard`,
    'events stream → sink → the OpenSearch node (its own prefix; the templates `sluice run` installs: refresh_interval',
    '1 s by default, 5 s with `--refresh-interval 5s` as the deployed sink ships),',
    'searched with `_search`; `sluice start`: its Kinesis source on the raw stream → SQLite → `GET /api/search`.',
    `Load average (1/5/15 min) at the start of the run: ${load}; the machine is shared, so figures under load are pessimistic.`,
    '',
    '| path | events seen | p50 s | p95 s | p99 s | max s |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    "Where the time of `sluice run` goes (per event; arrival times are moto's `ApproximateArrivalTimestamp`,",
    '"normalised" is the event\'s `event.ingested`, set by the transform):',
    '',
    '| path | hop | p50 s | p95 s |',
    '|---|---|---:|---:|',
    ...hops,
  ].join('\n');
}
