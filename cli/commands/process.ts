import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { addAbortSignal } from 'node:stream';
import { parseArgs } from 'node:util';
import { formatProblem, RuleConfigError } from '../../filters/errors.js';
import { loadRuleFile } from '../../filters/parse.js';
import { compileRules, type FilterPipeline } from '../../filters/pipeline.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '../../ingest/decode.js';
import { DEFAULT_MAX_LINE_BYTES } from '../../ingest/lines.js';
import { TransformConfigError } from '../../transform/errors.js';
import {
  compileNormalizer,
  DEFAULT_TRANSACTION_ID_FIELDS,
  type Normalizer,
} from '../../transform/normalize.js';
import { type Command, type CommandIo, EXIT, parsedOrUsage, UsageError } from '../command.js';
import { ChunkedWriter } from '../process/output.js';
import { newStats, type ProcessStats, processSource } from '../process/runner.js';

/** At most this many bad lines are reported one by one; the rest are only counted. */
const MAX_REPORTED_ERRORS = 100;

const HELP = [
  'Usage: sluice process [options] [FILE…]',
  '',
  'The transform stage as a filter program: reads FILEs (or stdin when none, or `-`) line by line,',
  'auto-detects each line and writes one normalised LogEvent per event as NDJSON to stdout.',
  '',
  'Each input line may be:',
  '  - a raw log line (pino, bunyan, Powertools, winston/console JSON, Serilog CLEF, ECS, OpenTelemetry,',
  '    structlog, tracing, Logstash, Cloud Logging, log4j2 JSON, Lambda runtime text or JSON format,',
  '    Lambda platform lines, plain text or syslog; see docs/event-schema.md);',
  '  - a CloudWatch Logs subscription payload as JSON (DATA_MESSAGE / CONTROL_MESSAGE);',
  '  - a Lambda Kinesis, Firehose or CloudWatch Logs (awslogs) event as JSON;',
  '  - a base64 Kinesis record (base64 of the gzip payload).',
  'CONTROL_MESSAGEs are skipped and counted. Raw lines get event.id = sha256(source, line number),',
  'aws.cloudwatch.log_stream = the source (file path as given, or the --stdin-name), and',
  'service.name `unknown` unless the line names one.',
  '',
  'A summary goes to stderr (lines read, events out, control messages skipped, errors by code).',
  `A line that cannot be decoded is reported on stderr with its line number (the first ${MAX_REPORTED_ERRORS};`,
  'later ones are only counted) and never stops the run.',
  '',
  'Options:',
  `  --transaction-id-fields LIST  comma-separated field names of the transaction id, first match wins`,
  `                                (default ${DEFAULT_TRANSACTION_ID_FIELDS.join(',')})`,
  `  --max-line-bytes N            longer lines are reported as errors (default ${DEFAULT_MAX_LINE_BYTES})`,
  `  --max-decompressed-bytes N    bound of one decompressed payload (default ${DEFAULT_MAX_DECOMPRESSED_BYTES})`,
  '  --stdin-name NAME             source name of stdin for event ids and log_stream (default `stdin`)',
  '  --rules FILE                  run the filter rules of FILE (YAML/JSON, see docs/filters.md) on every',
  '                                event; drops are counted by rule name in the summary, a rule that',
  '                                throws fails its event (reported, never written). HMAC keys named by',
  '                                `hash_key` are read from environment variables of the same name.',
  '                                Without --rules the default secret pack runs (cards, JWTs, bearer',
  '                                tokens, AWS keys, secret-looking keys), as everywhere in Sluice.',
  '  --no-filters                  run no filter at all, not even the default pack (raw normalised events)',
  '',
  'Exit codes: 0 every line was processed; 1 some line or record could not be decoded (all others',
  'were still processed), or the run was interrupted; 2 bad usage (unknown option, missing file).',
].join('\n');

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

function summary(stats: ProcessStats): string {
  const errorCount = [...stats.errors.values()].reduce((a, b) => a + b, 0);
  const byCode = [...stats.errors.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const droppedCount = stats.stage.dropped;
  const byRule = Object.entries(stats.stage.droppedByRule)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  return (
    `sluice process: ${stats.linesRead} lines read (${stats.blankLines} blank), ${stats.eventsOut} events out, ` +
    `${stats.controlSkipped} control messages skipped, ${errorCount} errors${byCode ? ` (${byCode})` : ''}` +
    (droppedCount || byRule ? `, ${droppedCount} dropped by rules (${byRule})` : '')
  );
}

/** `sluice process`: the transform stage as a filter program (see {@link HELP}). */
export const command: Command = {
  name: 'process',
  summary: 'Normalise log lines / CloudWatch payloads from files or stdin to NDJSON LogEvents',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parsedOrUsage(() => parse(argv));
    const maxLineBytes = positiveInt(values['max-line-bytes'], 'max-line-bytes', DEFAULT_MAX_LINE_BYTES);
    const maxDecompressedBytes = positiveInt(
      values['max-decompressed-bytes'],
      'max-decompressed-bytes',
      DEFAULT_MAX_DECOMPRESSED_BYTES,
    );
    let normalizer: Normalizer;
    try {
      const fields = values['transaction-id-fields']?.split(',').map((f) => f.trim());
      normalizer = compileNormalizer(fields ? { transactionIdFields: fields } : {});
    } catch (err) {
      if (err instanceof TransformConfigError) throw new UsageError(err.message);
      throw err;
    }
    if (values['no-filters'] && values.rules !== undefined)
      throw new UsageError('--no-filters and --rules exclude each other: pass one of them');
    // Secure by default: without --rules the default secret pack runs; only --no-filters turns it off.
    const filter = values['no-filters']
      ? undefined
      : values.rules === undefined
        ? compileRules(undefined)
        : await loadFilter(values.rules, io);
    const sources = positionals.length === 0 ? ['-'] : positionals;
    for (const file of sources) {
      if (file === '-') continue;
      const info = await stat(path.resolve(io.cwd, file)).catch(() => undefined);
      if (!info?.isFile()) throw new UsageError(`cannot read '${file}': expected an existing file`);
    }
    return runSources(sources, io, {
      normalizer,
      filter,
      maxLineBytes,
      maxDecompressedBytes,
      stdinName: values['stdin-name'] ?? 'stdin',
    });
  },
};

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'transaction-id-fields': { type: 'string' },
      'max-line-bytes': { type: 'string' },
      'max-decompressed-bytes': { type: 'string' },
      'stdin-name': { type: 'string' },
      rules: { type: 'string' },
      'no-filters': { type: 'boolean' },
    },
  });
}

async function runSources(
  sources: readonly string[],
  io: CommandIo,
  o: {
    normalizer: Normalizer;
    filter: FilterPipeline | undefined;
    maxLineBytes: number;
    maxDecompressedBytes: number;
    stdinName: string;
  },
): Promise<0 | 1> {
  const stats = newStats();
  const out = new ChunkedWriter(io.stdout);
  let reported = 0;
  let complete = true;
  const deps = {
    normalizer: o.normalizer,
    ...(o.filter ? { filter: o.filter } : {}),
    out,
    stats,
    maxLineBytes: o.maxLineBytes,
    maxDecompressedBytes: o.maxDecompressedBytes,
    signal: io.signal,
    reportError(source: string, line: number, code: string, message: string) {
      reported++;
      if (reported <= MAX_REPORTED_ERRORS)
        io.stderr.write(`sluice process: ${source}:${line}: ${code}: ${message}\n`);
      else if (reported === MAX_REPORTED_ERRORS + 1)
        io.stderr.write('sluice process: further errors are counted in the summary only\n');
    },
  };
  for (const source of sources) {
    const isStdin = source === '-';
    const input = isStdin
      ? io.stdin
      : createReadStream(path.resolve(io.cwd, source), { highWaterMark: 256 * 1024 });
    // SIGINT/SIGTERM end the read at once, also while waiting on an idle stdin.
    addAbortSignal(io.signal, input);
    try {
      complete = await processSource(input, isStdin ? o.stdinName : source, deps);
    } catch (err) {
      if (io.signal.aborted) break;
      // A read error (e.g. the file vanished): reported, counted, and the next source still runs.
      const code = (err as { code?: string }).code ?? 'READ_FAILED';
      stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
      io.stderr.write(`sluice process: ${isStdin ? o.stdinName : source}: cannot read: ${code}\n`);
    } finally {
      if (!isStdin) (input as ReturnType<typeof createReadStream>).destroy();
    }
    if (!complete) break;
  }
  await out.flush();
  io.stderr.write(`${summary(stats)}\n`);
  if (io.signal.aborted) return EXIT.failure;
  // The reader going away (EPIPE, e.g. `| head`) ends the run quietly; other output errors fail it.
  if (out.error && (out.error as { code?: string }).code !== 'EPIPE') {
    io.stderr.write(
      `sluice process: cannot write the output: ${(out.error as { code?: string }).code ?? 'error'}\n`,
    );
    return EXIT.failure;
  }
  return stats.errors.size > 0 ? EXIT.failure : EXIT.ok;
}

/**
 * Loads and compiles `--rules FILE`. HMAC keys come from environment variables named like the
 * `hash_key`s; bad rules (every problem listed) or a missing key are usage errors (exit 2).
 */
async function loadFilter(file: string, io: CommandIo): Promise<FilterPipeline> {
  try {
    const rules = await loadRuleFile(path.resolve(io.cwd, file));
    const secrets: Record<string, string> = {};
    for (const r of rules.rules) {
      const value = r.kind === 'redact' && r.hash_key ? io.env[r.hash_key] : undefined;
      if (r.kind === 'redact' && r.hash_key && value) secrets[r.hash_key] = value;
    }
    return compileRules(rules, { secrets });
  } catch (err) {
    if (err instanceof RuleConfigError)
      throw new UsageError(
        `--rules ${file}:\n${err.problems.map((p) => `  ${formatProblem(file, p)}`).join('\n')}`,
      );
    throw new UsageError(`--rules ${file}: ${(err as Error).message}`);
  }
}
