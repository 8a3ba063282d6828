/**
 * Paired ingest cost of store layouts: `npx tsx dev/store-ingest.ts [--events N] [--rounds R]
 * [--path] [--variant name=path/to/sinks/sqlite/store.ts …] [--thread]`.
 *
 * Each variant is an `openSqliteStore` module (default: this tree's). To compare with an older
 * layout, unpack its tree next to this one and point a variant at its store, e.g. layout 1:
 *   mkdir -p /tmp/l1 && git archive 2012bb5^ | tar -x -C /tmp/l1 && ln -s "$PWD/node_modules" /tmp/l1/node_modules
 *   npx tsx dev/store-ingest.ts --variant l1=/tmp/l1/sinks/sqlite/store.ts --variant now=sinks/sqlite/store.ts
 *
 * The events are the search-scale bench's traffic (demo checkouts in 20 services over 7 days, seed
 * 42) after the start rules, made once. Per round, every variant (in turn, the order rotating each
 * round) fills a fresh file: by default the store alone (`write()` of the processed events in
 * batches of 1000); with `--path` the whole path of `sluice start` (`fillStore`: gzip payload
 * decode → `createPipeline` → the store). Prints CPU-s (this process: every thread), wall s,
 * events/s and bytes per event per fill, then the medians and each variant's median ratio to the
 * first. The machine may be shared: only ratios within one run mean anything.
 *
 * `--thread` adds the variant `thread`: this tree's store as `sluice start` writes it
 * (`openSqliteStoreThread`: the store's writes on its writer thread, 2 batches in flight, so the
 * pipeline's CPU and SQLite's run on two cores). CPU-s count every thread; "main thread" is the
 * main thread's alone (Linux `/proc`), what bounds the rate when the writer thread has a core.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fillStore } from '../bench/scale-data.js';
import { mainThreadCpuSeconds } from '../bench/thread-cpu.js';
import type { EventSink } from '../sinks/contract.js';
import { openSqliteStoreThread, STORE_CALLS_IN_FLIGHT } from '../sinks/sqlite/store-thread.js';
import type { LogEvent } from '../transform/schema.js';
import { scaleBatches } from './scale-batches.js';

interface Store extends EventSink {
  close(): Promise<void>;
}
type Open = (opts: { path: string }) => Store | Promise<Store>;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '3' },
    path: { type: 'boolean', default: false },
    variant: { type: 'string', multiple: true, default: ['now=sinks/sqlite/store.ts'] },
    thread: { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const rounds = Number(values.rounds);
const fill = { events, end: Date.UTC(2026, 11, 1), days: 7, seed: 42 };

/** `inFlight`: batches handed to the store and not yet answered. */
const variants: { name: string; open: Open; inFlight: number }[] = [];
for (const v of values.variant) {
  const [name, file] = v.split('=');
  if (!name || !file) throw new Error(`--variant ${v}: expected name=path/to/store.ts`);
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { openSqliteStore: Open };
  variants.push({ name, open: mod.openSqliteStore, inFlight: 1 });
}
if (values.thread)
  variants.push({ name: 'thread', open: openSqliteStoreThread, inFlight: STORE_CALLS_IN_FLIGHT });

// The processed events, once (the pipeline's output batches, as the store receives them).
const batches: LogEvent[][] = values.path ? [] : await scaleBatches(fill);

const dir = mkdtempSync(join(tmpdir(), 'sluice-store-ingest-'));
const results = new Map<string, { cpu: number; main: number; wall: number; n: number; bytes: number }[]>();
const mainCpu = mainThreadCpuSeconds;
const fmt = (x: number, d = 1): string => x.toFixed(d);
console.log(
  `load ${loadavg()
    .map((l) => fmt(l))
    .join(' ')}; ${values.path ? 'whole path' : 'store alone'}`,
);
let k = 0;
for (let r = 0; r < rounds; r++) {
  for (let j = 0; j < variants.length; j++) {
    const v = variants[(j + r) % variants.length];
    if (!v) continue;
    const file = join(dir, `s${k++}.db`);
    // Opened before the clocks start (the writer thread's start-up is once per process).
    const store = await v.open({ path: file });
    const cpu0 = process.cpuUsage();
    const main0 = mainCpu();
    const t0 = performance.now();
    let n = 0;
    if (values.path) n = (await fillStore(store, { ...fill, writesInFlight: v.inFlight })).stats.indexed;
    else {
      const pending: Promise<unknown>[] = [];
      for (const b of batches) {
        pending.push(store.write(b));
        if (pending.length >= v.inFlight) await pending.shift();
        n += b.length;
      }
      await Promise.all(pending);
    }
    await store.close();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    const cpu = (c.user + c.system) / 1e6;
    const main = mainCpu() - main0;
    const bytes = statSync(file).size;
    rmSync(file, { force: true });
    const row = { cpu, main, wall, n, bytes };
    results.set(v.name, [...(results.get(v.name) ?? []), row]);
    console.log(
      `round ${r + 1} ${v.name}: ${fmt(cpu)} CPU-s (main thread ${fmt(main)}), ${fmt(wall)} s wall, ${fmt(n / wall, 0)} events/s, ${fmt(bytes / n, 0)} B/event (load ${fmt(loadavg()[0] ?? 0)})`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const base = results.get(variants[0]?.name ?? '') ?? [];
for (const v of variants) {
  const rs = results.get(v.name) ?? [];
  const cpuRatio = median(rs.map((x, i) => x.cpu / (base[i]?.cpu ?? 1)));
  const wallRatio = median(rs.map((x, i) => x.wall / (base[i]?.wall ?? 1)));
  console.log(
    `${v.name}: median ${fmt(median(rs.map((x) => x.cpu)))} CPU-s, ${fmt(median(rs.map((x) => x.n / x.wall)), 0)} events/s, ` +
      `${fmt(median(rs.map((x) => (x.cpu * 1e6) / x.n)), 1)} CPU-µs/event (main thread ${fmt(median(rs.map((x) => (x.main * 1e6) / x.n)), 1)}), ${fmt(median(rs.map((x) => x.bytes / x.n)), 0)} B/event; ` +
      `paired ratio to ${variants[0]?.name}: CPU ${fmt(cpuRatio, 3)}×, wall ${fmt(wallRatio, 3)}×`,
  );
}
console.log(
  `load ${loadavg()
    .map((l) => fmt(l))
    .join(' ')}`,
);
