import { parseArgs } from 'node:util';
import type { BenchServices } from '../../bench/harness.js';
import { runBenchmarks } from '../../bench/run.js';
import { type Command, type CommandIo, EXIT, UsageError } from '../command.js';

/** The services of one `sluice bench` run, made from the command's environment. */
export type BenchServicesFactory = (io: CommandIo) => { services: BenchServices; close(): Promise<void> };

/**
 * The shipped command's services: running ones named by `SLUICE_BENCH_OPENSEARCH_URL` and
 * `SLUICE_BENCH_MOTO_URL`. A suite that needs one that is not set fails with what to set
 * (`npm run bench`, dev/bench.ts, starts its own instead).
 */
export const servicesFromEnv: BenchServicesFactory = (io) => {
  const named = (variable: string, what: string) => async (): Promise<string> => {
    const url = io.env[variable];
    if (!url) {
      throw new UsageError(
        `this suite needs ${what}: set ${variable} to a running one, or run it with \`npm run bench\` (which starts one)`,
      );
    }
    return url;
  };
  return {
    services: {
      opensearch: named('SLUICE_BENCH_OPENSEARCH_URL', 'an OpenSearch node'),
      moto: named('SLUICE_BENCH_MOTO_URL', 'a moto server (AWS emulator)'),
    },
    close: async () => {},
  };
};

/** `sluice bench` with the given source of services (the shipped CLI passes {@link servicesFromEnv}). */
export function createBenchCommand(makeServices: BenchServicesFactory): Command {
  return {
    name: 'bench',
    summary: 'Run the benchmarks and write their sections of docs/benchmarks.md',
    help: [
      'Usage: sluice bench [--only NAME[,NAME…]] [--quick] [--no-write]',
      '       npm run bench [-- --only NAME …]   (starts the OpenSearch node and moto it needs)',
      '',
      'Runs every *.bench.ts suite (paired variants in one process) and prints a Markdown report.',
      'Each suite run also replaces its own section of docs/benchmarks.md (between its',
      'markers); the rest of the page, and the notes in docs/benchmarks-notes.md, are left alone.',
      '  --only NAMES   run only these suites (only their sections are written)',
      '  --quick        a small run for smoke-testing the suites (never written to docs)',
      '  --no-write     do not write docs/benchmarks.md',
      '',
      'Suites that measure against real services take them from SLUICE_BENCH_OPENSEARCH_URL and',
      'SLUICE_BENCH_MOTO_URL under `sluice bench`; `npm run bench` starts its own.',
    ].join('\n'),
    async run(argv, io) {
      let values: { only?: string; quick?: boolean; 'no-write'?: boolean };
      try {
        ({ values } = parseArgs({
          args: [...argv],
          options: { only: { type: 'string' }, quick: { type: 'boolean' }, 'no-write': { type: 'boolean' } },
        }));
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const { services, close } = makeServices(io);
      try {
        const report = await runBenchmarks({
          root: io.cwd,
          only: values.only?.split(',').filter(Boolean),
          quick: values.quick ?? false,
          write: !values['no-write'],
          services,
          log: (line) => io.stderr.write(`${line}\n`),
        });
        io.stdout.write(`${report}\n`);
      } finally {
        await close();
      }
      return EXIT.ok;
    },
  };
}

/** `sluice bench`: runs the benchmark suites and writes their sections of docs/benchmarks.md. */
export const command: Command = createBenchCommand(servicesFromEnv);
