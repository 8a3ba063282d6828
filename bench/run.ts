import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DOC_HEADER, mergeSections, renderSection, type SuiteSection } from './doc.js';
import { type BenchServices, type BenchSuite, machine } from './harness.js';

const SKIP = new Set(['node_modules', 'dist', 'cdk.out', '.git', 'coverage']);

async function findBenchFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findBenchFiles(full)));
    else if (entry.name.endsWith('.bench.ts')) out.push(full);
  }
  return out.sort();
}

/** Options of one benchmark run. */
export interface BenchRunOptions {
  readonly root: string;
  readonly only?: readonly string[];
  readonly quick?: boolean;
  readonly write?: boolean;
  readonly seed?: number;
  /** The real services suites measure against (dev/bench.ts starts them; `sluice bench` takes URLs). */
  readonly services: BenchServices;
  log(line: string): void;
}

/**
 * Runs every `*.bench.ts` suite under `root` (or those in `only`) and returns the Markdown of
 * their sections. Unless `quick` or `write: false`, each suite's section of docs/benchmarks.md
 * is replaced between its markers (bench/doc.ts); the rest of the page is left as it is.
 */
export async function runBenchmarks(opts: BenchRunOptions): Promise<string> {
  const files = await findBenchFiles(opts.root);
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: BenchSuite };
    if (mod.default && (!opts.only?.length || opts.only.includes(mod.default.name))) suites.push(mod.default);
  }
  const ctx = { seed: opts.seed ?? 42, scale: opts.quick ? 0.1 : 1, log: opts.log, services: opts.services };
  const sections: SuiteSection[] = [];
  for (const suite of suites) {
    opts.log(`bench: ${suite.name} …`);
    const body = await suite.run(ctx);
    sections.push({
      name: suite.name,
      title: suite.title,
      body,
      command: `npm run bench${opts.only?.length ? ` -- --only ${suite.name}` : ''}${opts.quick ? ' -- --quick' : ''}`,
      machine: machine(),
      date: new Date().toISOString().slice(0, 10),
    });
  }
  if (opts.write !== false && !opts.quick) {
    const file = path.join(opts.root, 'docs', 'benchmarks.md');
    const existing = await readFile(file, 'utf8').catch(() => BENCH_DOC_HEADER);
    await writeFile(file, mergeSections(existing, sections));
  }
  return sections.map(renderSection).join('\n\n');
}
