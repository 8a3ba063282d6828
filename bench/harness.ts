import os from 'node:os';

/** What a benchmark suite is handed. */
export interface BenchContext {
  /** Seed for generators, so runs are comparable. */
  readonly seed: number;
  /** Scale factor (1 = default size; `--quick` uses a small one). */
  readonly scale: number;
  /** Progress lines go here (stderr), results go in the returned section. */
  log(line: string): void;
  /** The real services a suite measures against (OpenSearch, moto); see {@link BenchServices}. */
  readonly services: BenchServices;
}

/**
 * Where a suite gets the real services it needs. `npm run bench` (dev/bench.ts) starts its own
 * node / emulator on first use and stops them after the run; the shipped `sluice bench` takes
 * running ones from `SLUICE_BENCH_OPENSEARCH_URL` / `SLUICE_BENCH_MOTO_URL` and fails the suite
 * with what to set when they are missing. Suites never start services themselves, so nothing
 * the shipped CLI loads imports the test harness.
 */
export interface BenchServices {
  /** The URL of an OpenSearch node for this run (the same one for every suite of the run). */
  opensearch(): Promise<string>;
  /** The endpoint of a moto server (AWS emulator) for this run. */
  moto(): Promise<string>;
}

/** A benchmark suite: one section of `docs/benchmarks.md`. Files `**\/*.bench.ts` export it as default. */
export interface BenchSuite {
  /** Short id, used by `sluice bench --only <name>`. */
  readonly name: string;
  /** Section title. */
  readonly title: string;
  /** Runs the suite and returns its Markdown section body (tables, ratios, notes). */
  run(ctx: BenchContext): Promise<string>;
}

/** One measured variant. */
export interface Measurement {
  readonly name: string;
  /** Wall-clock milliseconds of the measured iterations. */
  readonly wallMs: number;
  /** CPU milliseconds (user + system) of this process during them. */
  readonly cpuMs: number;
  /** How many times `fn` ran. */
  readonly iterations: number;
}

/**
 * Runs `fn` repeatedly (after `warmup` runs) until at least `minMs` of wall time has passed,
 * and returns wall and CPU time. Run paired variants through this in the same process, one
 * after the other, and report their ratio.
 */
export async function measure(
  name: string,
  fn: () => unknown | Promise<unknown>,
  opts: { minMs?: number; warmup?: number } = {},
): Promise<Measurement> {
  const minMs = opts.minMs ?? 2000;
  for (let i = 0; i < (opts.warmup ?? 3); i++) await fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let iterations = 0;
  let elapsed = 0;
  do {
    await fn();
    iterations++;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  const cpu = process.cpuUsage(cpu0);
  return { name, wallMs: elapsed, cpuMs: (cpu.user + cpu.system) / 1000, iterations };
}

/** A one-line description of this machine for the report. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** Formats a number with a fixed number of significant decimals. */
export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The item whose `key` is the median of all items' keys (the upper middle for an even count). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const mid = sorted[sorted.length >> 1];
  if (mid === undefined) throw new RangeError('medianBy: no items');
  return mid;
}

/** The median of `xs` (the upper middle for an even count). */
export function median(xs: readonly number[]): number {
  return medianBy(xs, (x) => x);
}
