import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { seededRandom } from '../core/random.js';
import { tsWorkerCode } from '../core/ts-worker.js';
import { createIdMaker, encodeEnvelope, toEnvelopes } from '../demo/envelopes.js';
import { checkout, type DemoLine, healthCheck } from '../demo/scenario.js';
import { parseRuleFile } from '../filters/parse.js';
import { compileRules } from '../filters/pipeline.js';
import { decodeCwlData } from '../ingest/decode.js';
import { createPipeline, type PipelineStats } from '../local/pipeline.js';
import { START_RULES_YAML } from '../local/start-rules.js';
import type { EventSink } from '../sinks/contract.js';
import type { DeadLetter } from '../sinks/dead-letters/types.js';
import { openSqliteStoreThread, STORE_CALLS_IN_FLIGHT } from '../sinks/sqlite/store-thread.js';
import { compileNormalizer } from '../transform/normalize.js';

/** Options of {@link fillStore}. */
export interface FillOptions {
  /** Stop once at least this many events were indexed. */
  readonly events: number;
  /** Newest event time (epoch ms); the traffic spreads over `days` before it. */
  readonly end: number;
  readonly days: number;
  readonly seed: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /**
   * Batches handed to the sink and not yet answered (`createPipeline`'s `writesInFlight`;
   * default 1). {@link fillThreaded} passes what `sluice start` passes for its writer thread.
   */
  readonly writesInFlight?: number;
}

/** What a fill did. */
export interface FillResult {
  readonly stats: PipelineStats;
  readonly wallMs: number;
  /** Transaction ids and order ids of some checkouts, for lookups (spread over the range). */
  readonly samples: { readonly transactionIds: string[]; readonly orderIds: string[] };
}

/** Regions each demo service runs in: the demo's 5 services become 20 (`orders-eu`, …). */
const REGIONS = ['', '-eu', '-us', '-ap'] as const;
const SERVICES = ['api-gateway', 'orders', 'payments', 'inventory', 'notifications'] as const;

/** Moves one checkout's lines to a region: log groups and the `service` field of JSON lines. */
function inRegion(lines: readonly DemoLine[], region: string): DemoLine[] {
  if (region === '') return [...lines];
  return lines.map((l) => {
    let message = l.message;
    for (const s of SERVICES) message = message.replaceAll(`"service":"${s}"`, `"service":"${s}${region}"`);
    return { ...l, logGroup: `${l.logGroup}${region}`, message };
  });
}

/**
 * Fills a store through the public ingest path of `sluice start`: demo checkouts (plus health
 * checks) spread evenly over `days`, in 20 services, wrapped in gzip CloudWatch payloads, decoded
 * by `decodeCwlData` and submitted to `createPipeline` (normalise → built-in start rules → the
 * sink in batches of 1000) — the same code the demo source runs, only faster than real time.
 */
export async function fillStore(sink: EventSink, opts: FillOptions): Promise<FillResult> {
  const rng = seededRandom(opts.seed);
  const nextId = createIdMaker(opts.seed);
  const letters: DeadLetter[] = [];
  const pipeline = createPipeline({
    normalizer: compileNormalizer(),
    filters: compileRules(parseRuleFile(START_RULES_YAML, 'start')),
    sink: { ...sink, close: async () => {} },
    deadLetters: {
      async put(l) {
        letters.push(...l.slice(0, Math.max(0, 100 - letters.length)));
      },
    },
    writesInFlight: opts.writesInFlight,
  });
  // About 24 events per checkout after the start rules.
  const checkouts = Math.ceil(opts.events / 23.5);
  const span = opts.days * 86_400_000;
  const start = opts.end - span;
  const step = span / checkouts;
  const samples = { transactionIds: [] as string[], orderIds: [] as string[] };
  const t0 = performance.now();
  let lastLog = t0;
  let i = 0;
  while (pipeline.stats().received < opts.events) {
    const lines: DemoLine[] = [];
    for (let k = 0; k < 200; k++, i++) {
      const at = Math.min(opts.end - 60_000, Math.floor(start + i * step));
      const tx = checkout(rng, at);
      if (i % 997 === 0) {
        samples.transactionIds.push(tx.transactionId);
        const m = /"order_id":"(ord-[0-9a-f]+)"/.exec(tx.lines.map((l) => l.message).join('\n'));
        if (m?.[1]) samples.orderIds.push(m[1]);
      }
      lines.push(...inRegion(tx.lines, REGIONS[Math.floor(rng() * REGIONS.length)] ?? ''));
      if (rng() < 0.05) lines.push(...healthCheck(rng, at).lines);
    }
    for (const env of toEnvelopes(lines, nextId)) {
      const decoded = decodeCwlData(encodeEnvelope(env));
      if (decoded.kind !== 'data') throw new Error('a demo payload did not decode');
      await pipeline.submit({ kind: 'envelope', envelope: decoded.envelope });
    }
    if (opts.log && performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      const s = pipeline.stats();
      opts.log(`fill: ${s.indexed} indexed, ${Math.round(s.indexed / ((lastLog - t0) / 1000))} events/s`);
    }
  }
  await pipeline.stop();
  const stats = pipeline.stats();
  if (stats.deadLettered > 0)
    throw new Error(`the fill dead-lettered ${stats.deadLettered} events: ${letters[0]?.error.message}`);
  return { stats, wallMs: performance.now() - t0, samples };
}

/**
 * {@link fillStore} into the embedded store at `path` as `sluice start` writes it: through
 * `openSqliteStoreThread` (the store's writes on its writer thread) with its batches in flight.
 */
export async function fillThreaded(path: string, opts: FillOptions): Promise<FillResult> {
  const store = await openSqliteStoreThread({ path, log: opts.log });
  try {
    return await fillStore(store, { ...opts, writesInFlight: STORE_CALLS_IN_FLIGHT });
  } finally {
    await store.close();
  }
}

/**
 * {@link fillStore} into the store at `path` from `threads` worker threads at once, each with its
 * own connection (SQLite serialises their transactions), seed and slice of the time range: for
 * filling tens of millions of events in reasonable time. Returns the summed stats and the CPU
 * time the threads used.
 */
export async function fillParallel(
  path: string,
  threads: number,
  opts: FillOptions,
): Promise<{
  indexed: number;
  dropped: number;
  wallMs: number;
  cpuMs: number;
  samples: FillResult['samples'];
}> {
  const code = tsWorkerCode(new URL('./scale-fill-thread.ts', import.meta.url));
  const slice = opts.days / threads;
  const t0 = performance.now();
  const parts = await Promise.all(
    Array.from(
      { length: threads },
      (_, k) =>
        new Promise<{ result: FillResult; cpuMs: number }>((resolve, reject) => {
          const w = new Worker(code, {
            eval: true,
            workerData: {
              path,
              opts: {
                events: Math.ceil(opts.events / threads),
                end: opts.end - (threads - 1 - k) * slice * 86_400_000,
                days: slice,
                seed: opts.seed + k,
              },
            },
          });
          w.on('message', (m: { log?: string; result?: FillResult; cpuMs?: number }) => {
            if (m.log) opts.log?.(`[${k}] ${m.log}`);
            else if (m.result) resolve({ result: m.result, cpuMs: m.cpuMs ?? 0 });
          });
          w.on('error', reject);
          w.on('exit', (c) => (c === 0 ? undefined : reject(new Error(`filler ${k} exited with ${c}`))));
        }),
    ),
  );
  return {
    indexed: parts.reduce((s, p) => s + p.result.stats.indexed, 0),
    dropped: parts.reduce((s, p) => s + p.result.stats.dropped, 0),
    wallMs: performance.now() - t0,
    cpuMs: parts.reduce((s, p) => s + p.cpuMs, 0),
    samples: {
      transactionIds: parts.flatMap((p) => p.result.samples.transactionIds),
      orderIds: parts.flatMap((p) => p.result.samples.orderIds),
    },
  };
}

/** What {@link sampleIngest} measured. */
export interface IngestSample {
  readonly events: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The file after a checkpoint. */
  readonly bytes: number;
}

/**
 * The ingest of this build's store layout, measured in this process: {@link fillThreaded} (the
 * whole path of `sluice start`, with its writer thread; CPU of every thread) into a fresh store of `events` events in a temporary folder, then removed.
 * For a benchmark that reuses a store filled by an older build, whose ingest figures are that
 * build's.
 */
export async function sampleIngest(events: number, seed: number): Promise<IngestSample> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-ingest-sample-'));
  try {
    const path = join(dir, 'events.db');
    const cpu0 = process.cpuUsage();
    const fill = await fillThreaded(path, { events, end: Date.UTC(2026, 10, 30), days: 7, seed });
    const cpu = process.cpuUsage(cpu0);
    return {
      events: fill.stats.indexed,
      wallMs: fill.wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      bytes: statSync(path).size,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
