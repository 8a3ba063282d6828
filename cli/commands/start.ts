import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SluiceError } from '../../core/errors.js';
import { RuleConfigError } from '../../filters/errors.js';
import { parseStartConfig, type StartConfig, validateStartConfig } from '../../local/config.js';
import { StartConfigError, StartEnvError } from '../../local/errors.js';
import { isLoopbackAddress } from '../../local/http/policy.js';
import type { PipelineStats } from '../../local/pipeline.js';
import { startLocal } from '../../local/start.js';
import { type Command, type CommandIo, EXIT, UsageError } from '../command.js';

const HELP = [
  'Usage: sluice start [options]',
  '',
  'Runs the whole pipeline on this machine: sources → transform → filters → store, with the',
  'trace explorer (web UI) and the search API on one HTTP server. Default store: SQLite in',
  '.sluice/ (created). Ctrl-C stops cleanly: sources stop, the queue drains, the store is flushed.',
  '',
  'Options:',
  '  --config FILE        YAML config (see docs/start.md; flags override it)',
  '  --data-dir DIR       folder of the store and the dead letters (default .sluice)',
  '  --port N             HTTP port of the UI / API / ingest endpoint (default 4600; 0 = any free)',
  '  --host ADDR          address to listen on (default 127.0.0.1; any other needs --token-env)',
  '  --token-env NAME     environment variable holding a token every endpoint then requires',
  '  --allowed-host NAME  also serve requests naming this Host (repeatable; default: localhost, IPs)',
  '  --stdin              also read log lines from standard input (node app.js | sluice start --stdin)',
  '  --no-demo            do not run the built-in demo components',
  '  --no-http-ingest     do not accept events over HTTP (/ingest/*)',
  '  --opensearch URL     store and search in OpenSearch (indices sluice-logs-*) instead of SQLite',
  '  --kinesis STREAM     also poll this Kinesis stream of CloudWatch Logs records (real AWS)',
  '  --kinesis-endpoint URL   …on an emulator instead (e.g. moto: http://127.0.0.1:5000)',
  '  --rules FILE         rules file (default: built-in start rules + the default secret pack)',
  '  --quiet              no live counter line',
  '',
  'HTTP endpoints: GET / (UI), GET /api/search|trace/<id>|tail|stats,',
  'POST /ingest/ndjson (raw lines), /ingest/cwl (CloudWatch Logs subscription JSON),',
  '/ingest/firehose (Kinesis Data Firehose HTTP endpoint delivery).',
  'Exit codes: 0 stopped cleanly; 1 failed; 2 bad usage or bad config.',
].join('\n');

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        stdin: { type: 'boolean' },
        'no-demo': { type: 'boolean' },
        'no-http-ingest': { type: 'boolean' },
        opensearch: { type: 'string' },
        kinesis: { type: 'string' },
        'kinesis-endpoint': { type: 'string' },
        rules: { type: 'string' },
        'token-env': { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. Run \`sluice start --help\`.`);
  }
}

/** Loads the config file (if any) and applies the flags on top; throws UsageError on bad input. */
export async function loadStartConfig(
  argv: readonly string[],
  cwd: string,
): Promise<{ cfg: StartConfig; rulesText?: string; quiet: boolean }> {
  const v = parse(argv);
  let cfg: StartConfig;
  try {
    if (v.config !== undefined) {
      const path = resolve(cwd, v.config);
      const text = await readFile(path, 'utf8').catch(() => {
        throw new UsageError(`cannot read the config file ${v.config}: expected an existing YAML file`);
      });
      cfg = parseStartConfig(text, v.config);
    } else cfg = validateStartConfig({}, '(defaults)');
    const patched: Record<string, unknown> = structuredClone(cfg);
    const http = patched.http as Record<string, unknown>;
    const sources = patched.sources as Record<string, unknown>;
    if (v['data-dir'] !== undefined) patched.data_dir = v['data-dir'];
    if (v.host !== undefined) http.host = v.host;
    if (v.port !== undefined) {
      const n = Number(v.port);
      if (!Number.isInteger(n))
        throw new UsageError(`--port must be an integer from 0 to 65535, got '${v.port}'`);
      http.port = n;
    }
    if (v.stdin) sources.stdin = true;
    if (v['no-demo']) (sources.demo as Record<string, unknown>).enabled = false;
    if (v['no-http-ingest']) sources.http = false;
    if (v.opensearch !== undefined) patched.sink = { kind: 'opensearch', url: v.opensearch };
    if (v.kinesis !== undefined) {
      sources.kinesis = { ...(sources.kinesis as object | undefined), stream_name: v.kinesis };
    }
    if (v['kinesis-endpoint'] !== undefined) {
      if (sources.kinesis === undefined)
        throw new UsageError('--kinesis-endpoint needs --kinesis STREAM (or sources.kinesis in the config)');
      (sources.kinesis as Record<string, unknown>).endpoint = v['kinesis-endpoint'];
    }
    if (v.rules !== undefined) (patched.rules as Record<string, unknown>).file = v.rules;
    if (v['token-env'] !== undefined) http.token_env = v['token-env'];
    if (v['allowed-host'] !== undefined)
      http.allowed_hosts = [...(http.allowed_hosts as string[]), ...v['allowed-host']];
    cfg = validateStartConfig(patched, 'flags');
  } catch (err) {
    if (err instanceof StartConfigError) throw new UsageError(err.message);
    throw err;
  }
  let rulesText: string | undefined;
  if (cfg.rules.file !== undefined) {
    rulesText = await readFile(resolve(cwd, cfg.rules.file), 'utf8').catch(() => {
      throw new UsageError(`cannot read the rules file ${cfg.rules.file}: expected an existing YAML file`);
    });
  }
  return { cfg, rulesText, quiet: v.quiet ?? false };
}

/** One line of live counts. */
export function formatCounts(s: PipelineStats): string {
  return (
    `received ${s.received} · indexed ${s.indexed} · dropped ${s.dropped} · redacted ${s.redacted} · ` +
    `dead-lettered ${s.deadLettered}${s.duplicate ? ` · duplicates ${s.duplicate}` : ''} · queued ${s.queued}`
  );
}

async function run(argv: readonly string[], io: CommandIo): Promise<0 | 1 | 2> {
  const { cfg, rulesText, quiet } = await loadStartConfig(argv, io.cwd);
  const { buildUi } = await import('../../ui/build.js');
  const ui = await buildUi();
  let running: Awaited<ReturnType<typeof startLocal>>;
  try {
    running = await startLocal(cfg, {
      cwd: io.cwd,
      env: io.env,
      stdin: io.stdin,
      ui,
      rulesText,
      log: (line) => io.stderr.write(`${line}\n`),
      openSearch: async (sinkCfg, deadLetters) =>
        (await import('../../local/opensearch.js')).openSearchParts(sinkCfg, deadLetters),
    });
  } catch (err) {
    if (err instanceof RuleConfigError) throw new UsageError(err.message);
    if (err instanceof StartConfigError) throw new UsageError(err.message);
    if (err instanceof SluiceError && err.code === 'START_PORT_IN_USE') {
      io.stderr.write(`sluice start: ${err.message}\n`);
      return EXIT.failure;
    }
    if (err instanceof StartEnvError) throw new UsageError(err.message);
    throw err;
  }
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  io.stderr.write(
    `\n  Sluice is running — open the trace explorer: ${running.url}\n` +
      `  store: ${cfg.sink.kind === 'sqlite' ? `SQLite in ${resolve(io.cwd, cfg.data_dir)} (keeps ${cfg.sink.retention_hours} h)` : `OpenSearch ${cfg.sink.url}`}\n` +
      `  sources: ${[cfg.sources.demo.enabled && 'demo', cfg.sources.stdin && 'stdin', cfg.sources.http && `HTTP (POST ${running.url}/ingest/ndjson|cwl|firehose)`, cfg.sources.kinesis && `Kinesis stream ${cfg.sources.kinesis.stream_name}`].filter(Boolean).join(', ')}\n` +
      (cfg.http.token_env !== undefined
        ? `  access: every request needs the token in $${cfg.http.token_env} (Authorization: Bearer …; in a browser open ${running.url}/?token=<token> once)${isLoopbackAddress(cfg.http.host) ? '' : ` — listening on ${cfg.http.host}, reachable beyond this machine`}\n`
        : '  access: this machine only; pages of other websites are refused\n') +
      '  Ctrl-C stops cleanly.\n\n',
  );
  const ticker = quiet
    ? undefined
    : setInterval(
        () => {
          const line = formatCounts(running.pipeline.stats());
          io.stderr.write(tty ? `\r\x1b[2K  ${line}` : `  ${line}\n`);
        },
        tty ? 1000 : 10_000,
      );
  const stdinEnded = cfg.sources.stdin && !cfg.sources.demo.enabled && !cfg.sources.http;
  await new Promise<void>((resolveWait) => {
    if (io.signal.aborted) return resolveWait();
    io.signal.addEventListener('abort', () => resolveWait(), { once: true });
    // With stdin as the only source, the end of input ends the run.
    if (stdinEnded) void running.stdinDone.then(() => resolveWait());
  });
  if (ticker) clearInterval(ticker);
  if (tty && !quiet) io.stderr.write('\n');
  io.stderr.write('  stopping: sources stopped, draining the queue…\n');
  await running.stop();
  io.stderr.write(`  stopped. ${formatCounts(running.pipeline.stats())}\n`);
  return EXIT.ok;
}

/** `sluice start`: the whole pipeline locally with demo traffic and the trace explorer. */
export const command: Command = {
  name: 'start',
  summary: 'Run the whole pipeline locally (embedded store, demo components, trace explorer UI)',
  help: HELP,
  run,
};
