import { readFileSync } from 'node:fs';
import { type Command, type CommandIo, EXIT, type ExitCode, UsageError } from './command.js';

/** The version in package.json (one source of truth for `sluice --version`). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Every sub-command, loaded lazily so `sluice --help` stays fast. Add a command by adding a
 * module under `cli/commands/` that exports `command: Command`, and one line here.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  backfill: {
    summary: 'Replay CloudWatch Logs history (a time range of matching log groups) into the pipeline',
    load: async () => (await import('./commands/backfill.js')).command,
  },
  bench: {
    summary: 'Run the benchmarks and write their sections of docs/benchmarks.md',
    load: async () => (await import('./commands/bench.js')).command,
  },
  dlq: {
    summary: 'Replay dead letters (file, S3 or SQS) into OpenSearch',
    load: async () => (await import('./commands/dlq.js')).command,
  },
  filters: {
    summary: 'Lint and test filter rules files; regenerate the rules reference',
    load: async () => (await import('./commands/filters.js')).command,
  },
  opensearch: {
    summary: 'Set up OpenSearch index templates, data streams and the ISM policy',
    load: async () => (await import('./commands/opensearch.js')).command,
  },
  plan: {
    summary: 'Recommend capacity and estimate the monthly cost of a deployment; emit its config YAML',
    load: async () => (await import('./commands/plan.js')).command,
  },
  process: {
    summary: 'Normalise log lines / CloudWatch payloads from files or stdin to NDJSON LogEvents',
    load: async () => (await import('./commands/process.js')).command,
  },
  run: {
    summary: 'Poll Kinesis like Lambda event source mappings and run the transform and sink handlers',
    load: async () => (await import('./commands/run.js')).command,
  },
  search: {
    summary: 'Search events (the trace explorer query language) in the embedded store or OpenSearch',
    load: async () => (await import('./commands/search.js')).command,
  },
  trace: {
    summary: 'Show one transaction across all components (embedded store or OpenSearch)',
    load: async () => (await import('./commands/trace.js')).command,
  },
  start: {
    summary: 'Run the whole pipeline locally (embedded store, demo components, trace explorer UI)',
    load: async () => (await import('./commands/start.js')).command,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length), 8);
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: sluice <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `sluice <command> --help` for the options of one command.',
    'Exit codes: 0 success, 1 the work failed, 2 bad usage or bad config.',
  ].join('\n');
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io?: Partial<CommandIo>): Promise<ExitCode> {
  const stdout = io?.stdout ?? process.stdout;
  const stderr = io?.stderr ?? process.stderr;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(`${usage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    stdout.write(`sluice ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    stderr.write(
      `sluice: unknown command '${name}'. Expected one of: ${Object.keys(COMMANDS).join(', ')}.\n`,
    );
    return EXIT.usage;
  }
  return runCommand(await entry.load(), rest, io);
}

/**
 * Runs one command with `argv` (after its name): `--help` prints its help; a {@link UsageError}
 * exits 2, any other error 1, each as `sluice <name>: <message>` on stderr. Also the entry of the
 * development-only commands under `dev/`, which are not part of `sluice`.
 */
export async function runCommand(
  command: Command,
  argv: readonly string[],
  io?: Partial<CommandIo>,
): Promise<ExitCode> {
  const controller = new AbortController();
  const full: CommandIo = {
    stdin: io?.stdin ?? process.stdin,
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
    signal: io?.signal ?? controller.signal,
  };
  const name = command.name;
  if (argv.includes('--help') || argv.includes('-h')) {
    full.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  const onSignal = (): void => controller.abort();
  if (!io?.signal) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    return await command.run(argv, full);
  } catch (err) {
    if (err instanceof UsageError) {
      full.stderr.write(`sluice ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    full.stderr.write(`sluice ${name}: ${message}\n`);
    return EXIT.failure;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
