import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchSuite } from '../bench/harness.js';
import { fmt, machine } from '../bench/harness.js';
import { mainThreadCpuSeconds } from '../bench/thread-cpu.js';
import { seededRandom } from '../core/random.js';
import { createIdMaker, encodeEnvelope, toEnvelopes } from '../demo/envelopes.js';
import { checkout, type DemoLine } from '../demo/scenario.js';
import { decodeCwlData } from '../ingest/decode.js';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { validateStartConfig } from './config.js';
import { type LocalStore, openStoreThread, type StartDeps, startLocal } from './start.js';

/** The two ways `sluice start` can hold its store. */
const VARIANTS: { name: string; open: NonNullable<StartDeps['openStore']> }[] = [
  {
    name: 'main thread (`openSqliteStore`)',
    open: async (o): Promise<LocalStore> => ({ store: openSqliteStore(o), writesInFlight: 1 }),
  },
  { name: 'writer thread (`openSqliteStoreThread`, default)', open: openStoreThread },
];

/** p-th percentile (0–100) of `xs`. */
const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Round {
  variant: string;
  events: number;
  wallMs: number;
  /** CPU seconds: every thread, the main thread alone. */
  cpu: number;
  mainCpu: number;
  loopP99: number;
  loopMax: number;
  stats: number[];
  search: number[];
}

/**
 * How `sluice start` answers while it ingests a burst: the real composition (`startLocal`: its
 * pipeline, the embedded store, the HTTP server and the search workers) in this process, a burst
 * of demo CloudWatch payloads decoded and submitted to its pipeline as fast as it takes them,
 * while a client in the same process asks `GET /api/stats` and `GET /api/search` (last hour,
 * count + histogram + facets) one after the other. Measured: the main thread's event-loop delay
 * (`monitorEventLoopDelay`) and each answer's time, with the store on the main thread or on its
 * writer thread, in paired rounds.
 */
const suite: BenchSuite = {
  name: 'start-latency',
  title: '`sluice start`: answers while a burst is ingested (store on the main thread or its writer thread)',
  async run(ctx) {
    const txs = Math.max(200, Math.round(4000 * ctx.scale));
    const rounds = ctx.scale < 1 ? 1 : 2;
    const rows: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let j = 0; j < VARIANTS.length; j++) {
        const v = VARIANTS[(j + r) % VARIANTS.length];
        if (v) rows.push(await burst(v, txs, ctx.seed + r, ctx.log));
      }
    }
    const line = (x: Round): string =>
      `| ${x.variant} | ${x.events} | ${fmt(x.events / (x.wallMs / 1000), 0)} | ${fmt((x.cpu * 1e6) / x.events, 1)} / ${fmt((x.mainCpu * 1e6) / x.events, 1)} | ${fmt(x.loopP99, 1)} | ${fmt(x.loopMax, 1)} | ${fmt(pct(x.stats, 50), 1)} / ${fmt(pct(x.stats, 99), 1)} / ${fmt(Math.max(...x.stats), 1)} (${x.stats.length}) | ${fmt(pct(x.search, 50), 1)} / ${fmt(pct(x.search, 99), 1)} / ${fmt(Math.max(...x.search), 1)} (${x.search.length}) |`;
    return [
      `Machine: ${machine()}. ${txs} demo checkouts (spread over the last hour) as gzip CloudWatch payloads, decoded and submitted to the pipeline of \`startLocal\` (built-in start rules, batches of 1,000), ${rounds} round(s), the variants in turn (the order rotating). Meanwhile one client in the same process asks \`/api/stats\` and \`/api/search\` (last hour, 60 buckets, facets) in a loop, 20 ms apart. Event-loop delay: \`monitorEventLoopDelay\` (10 ms resolution) over the burst. CPU over the burst (searches included): every thread (\`process.cpuUsage\`), and the main thread's alone (Linux \`/proc\`), the work the HTTP server shares its thread with. The machine is shared: compare the rows of one run; on busy cores the delays are mostly waiting for a core.`,
      '',
      '| store | events | events/s | CPU-µs per event: all threads / main thread | event-loop delay p99 ms | max ms | `/api/stats` p50 / p99 / max ms (answers) | `/api/search` p50 / p99 / max ms (answers) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map(line),
    ].join('\n');
  },
};

async function burst(
  v: (typeof VARIANTS)[number],
  txs: number,
  seed: number,
  log: (line: string) => void,
): Promise<Round> {
  const rng = seededRandom(seed);
  const now = Date.now();
  const lines: DemoLine[] = [];
  for (let i = 0; i < txs; i++)
    lines.push(...checkout(rng, now - 3_600_000 + Math.floor((i * 3_500_000) / txs)).lines);
  const datas = toEnvelopes(lines, createIdMaker(seed)).map(encodeEnvelope);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-start-latency-'));
  try {
    const cfg = validateStartConfig(
      { data_dir: dir, http: { port: 0 }, sources: { demo: { enabled: false }, stdin: false, http: false } },
      'bench',
    );
    const app = await startLocal(cfg, {
      cwd: dir,
      env: {},
      stdin: process.stdin,
      ui: { html: '', js: '', css: '' },
      log,
      openStore: v.open,
    });
    const stats: number[] = [];
    const search: number[] = [];
    let done = false;
    const ask = async (path: string, into: number[]): Promise<void> => {
      const t0 = performance.now();
      const res = await fetch(`${app.url}${path}`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      into.push(performance.now() - t0);
    };
    // Both search workers started (their start-up is not the burst's CPU).
    await Promise.all(
      [0, 1].map(() => ask(`/api/search?q=&from=${now - 3_600_000}&to=${now}&buckets=60`, [])),
    );
    const client = (async () => {
      while (!done) {
        await ask('/api/stats', stats);
        await ask(`/api/search?q=&from=${now - 3_600_000}&to=${now}&buckets=60`, search);
        await sleep(20);
      }
    })();
    const eld = monitorEventLoopDelay({ resolution: 10 });
    eld.enable();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuSeconds();
    for (const d of datas) {
      const r = decodeCwlData(d);
      if (r.kind !== 'data') throw new Error('a demo payload did not decode');
      await app.pipeline.submit({ kind: 'envelope', envelope: r.envelope });
    }
    const received = app.pipeline.stats().received;
    for (;;) {
      const s = app.pipeline.stats();
      if (s.indexed + s.dropped + s.deadLettered + s.duplicate >= received) break;
      await sleep(5);
    }
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(cpu0);
    const mainCpu = mainThreadCpuSeconds() - main0;
    eld.disable();
    done = true;
    await client;
    const events = app.pipeline.stats().indexed;
    await app.stop();
    log(`start-latency: ${v.name}: ${events} events in ${fmt(wallMs / 1000, 1)} s`);
    return {
      variant: v.name,
      events,
      wallMs,
      cpu: (c.user + c.system) / 1e6,
      mainCpu,
      loopP99: eld.percentile(99) / 1e6,
      loopMax: eld.max / 1e6,
      stats,
      search,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default suite;
