import { parseArgs } from 'node:util';
import { runBenchmarks } from '../../bench/run.js';
import { type Command, EXIT, UsageError } from '../command.js';

/** `sluice bench`: runs the benchmark suites and writes their sections of docs/benchmarks.md. */
export const command: Command = {
  name: 'bench',
  summary: 'Run the benchmarks and write their sections of docs/benchmarks.md',
  help: [
    'Usage: sluice bench [--only NAME[,NAME…]] [--quick] [--no-write]',
    '',
    'Runs every *.bench.ts suite (paired variants in one process) and prints a Markdown report.',
    'Each suite run also replaces its own section of docs/benchmarks.md (between its',
    'markers); the rest of the page, and the notes in docs/benchmarks-notes.md, are left alone.',
    '  --only NAMES   run only these suites (only their sections are written)',
    '  --quick        a small run for smoke-testing the suites (never written to docs)',
    '  --no-write     do not write docs/benchmarks.md',
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
    const report = await runBenchmarks({
      root: io.cwd,
      only: values.only?.split(',').filter(Boolean),
      quick: values.quick ?? false,
      write: !values['no-write'],
      log: (line) => io.stderr.write(`${line}\n`),
    });
    io.stdout.write(`${report}\n`);
    return EXIT.ok;
  },
};
