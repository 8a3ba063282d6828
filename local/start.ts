import { join, resolve } from 'node:path';
import { SluiceError } from '../core/errors.js';
import { runDemo } from '../demo/source.js';
import { parseRuleFile } from '../filters/parse.js';
import { compileRules, type FilterPipeline } from '../filters/pipeline.js';
import { parseQuery } from '../search/query.js';
import { createSqliteWorkerSearch } from '../search/sqlite-worker.js';
import type { SearchBackend } from '../search/types.js';
import type { DeadLetterSink, EventSink } from '../sinks/contract.js';
import { createFileDeadLetterStore } from '../sinks/dead-letters/file-store.js';
import {
  openSqliteStoreThread,
  type SqliteStoreThreadOptions,
  STORE_CALLS_IN_FLIGHT,
} from '../sinks/sqlite/store-thread.js';
import { compileNormalizer } from '../transform/normalize.js';
import type { StartConfig } from './config.js';
import { StartConfigError, StartEnvError } from './errors.js';
import { isLoopbackAddress } from './http/policy.js';
import { startServer, type UiAssets } from './http/server.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { type RetainedStore, type Retention, startRetention } from './retention.js';
import { readStdin } from './sources/stdin.js';
import { START_RULES_YAML } from './start-rules.js';

/** What a running `sluice start` exposes to the command (and to tests). */
export interface RunningStart {
  readonly url: string;
  readonly pipeline: Pipeline;
  readonly search: SearchBackend;
  /** Settles when stdin ended (immediately when stdin is not a source). */
  readonly stdinDone: Promise<void>;
  /** Stops sources, drains the queue, flushes and closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** The inputs of {@link startLocal} besides the config. */
export interface StartDeps {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadableStream;
  readonly ui: UiAssets;
  /** Rules file text when `rules.file` is set (read by the command). */
  readonly rulesText?: string;
  /** Builds the OpenSearch sink and search when the config asks for them (loaded lazily). */
  readonly openSearch?: (
    cfg: Extract<StartConfig['sink'], { kind: 'opensearch' }>,
    deadLetters: DeadLetterSink,
  ) => Promise<{ sink: EventSink; search: SearchBackend }>;
  readonly log: (line: string) => void;
  /**
   * Opens the embedded store (default {@link openStoreThread}: its writes on a writer thread). The
   * `start-latency` benchmark passes the main-thread `openSqliteStore` to compare.
   */
  readonly openStore?: (opts: SqliteStoreThreadOptions) => Promise<LocalStore>;
}

/** The embedded store as `sluice start` uses it, and the batches its pipeline keeps in flight. */
export interface LocalStore {
  readonly store: EventSink & RetainedStore;
  readonly writesInFlight: number;
}

/** The default store of `sluice start`: {@link openSqliteStoreThread}, 2 batches in flight. */
export async function openStoreThread(opts: SqliteStoreThreadOptions): Promise<LocalStore> {
  return { store: await openSqliteStoreThread(opts), writesInFlight: STORE_CALLS_IN_FLIGHT };
}

function secretsFrom(cfg: StartConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, variable] of Object.entries(cfg.rules.secrets_env)) {
    const value = env[variable];
    if (value === undefined || value === '') throw new StartEnvError(`rules.secrets_env.${name}`, variable);
    out[name] = value;
  }
  return out;
}

/** Time of the newest demo event in the store within the backfill window (restarts resume from it). */
async function newestDemoEvent(search: SearchBackend, minutes: number): Promise<number | undefined> {
  if (minutes <= 0) return undefined;
  try {
    const now = Date.now();
    const r = await search.search({
      query: parseQuery('group:/aws/lambda/api-gateway'),
      from: now - minutes * 60_000,
      to: now + 60_000,
      limit: 1,
      offset: 0,
      buckets: 1,
    });
    const newest = r.events[0];
    return newest ? Date.parse(newest['@timestamp']) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The composition root of `sluice start`: the same stage code as the Lambdas (normaliser,
 * compiled rules) behind a bounded queue, writing to the embedded store (or OpenSearch), with
 * the demo, stdin and HTTP sources and the trace explorer on one HTTP server.
 */
export async function startLocal(cfg: StartConfig, deps: StartDeps): Promise<RunningStart> {
  if (!isLoopbackAddress(cfg.http.host) && cfg.http.token_env === undefined) {
    throw new StartConfigError('http.host', [
      `${cfg.http.host} is reachable beyond this machine: set http.token_env (or --token-env NAME) to an environment variable holding a token that every endpoint will then require`,
    ]);
  }
  const dataDir = resolve(deps.cwd, cfg.data_dir);
  const normalizer = compileNormalizer(
    cfg.transaction_id_fields ? { transactionIdFields: cfg.transaction_id_fields } : {},
  );
  const ruleFile = parseRuleFile(
    deps.rulesText ?? START_RULES_YAML,
    cfg.rules.file ?? '(built-in start rules)',
  );
  const filters: FilterPipeline = compileRules(ruleFile, { secrets: secretsFrom(cfg, deps.env) });
  const deadLetters = createFileDeadLetterStore(join(dataDir, 'dead-letters.ndjson'));

  let sink: EventSink;
  let search: SearchBackend;
  let retention: Retention | undefined;
  let writesInFlight = 1;
  if (cfg.sink.kind === 'opensearch') {
    if (!deps.openSearch) throw new Error('the OpenSearch sink is not available in this build');
    ({ sink, search } = await deps.openSearch(cfg.sink, deadLetters));
  } else {
    // The store's writes (and an upgrade of an older layout) run on a writer thread: the HTTP
    // server answers while a batch commits, and the next batch is processed meanwhile.
    const opened = await (deps.openStore ?? openStoreThread)({
      path: join(dataDir, 'events.db'),
      deadLetters,
      log: deps.log,
    });
    const store = opened.store;
    sink = store;
    writesInFlight = opened.writesInFlight;
    // Queries run in worker threads on read-only connections: a slow search never stalls ingest.
    search = createSqliteWorkerSearch({
      path: join(dataDir, 'events.db'),
      timeoutMs: cfg.http.limits.search_timeout_ms,
    });
    retention = startRetention(store, {
      retentionHours: cfg.sink.retention_hours,
      maxBytes: cfg.sink.max_store_mb === undefined ? undefined : cfg.sink.max_store_mb * 2 ** 20,
      log: deps.log,
    });
  }

  const pipeline = createPipeline({
    normalizer,
    filters,
    sink,
    deadLetters,
    queueCapacity: cfg.queue.capacity_events,
    batchSize: cfg.queue.batch_size,
    writesInFlight,
    onSinkError: (err) => deps.log(`sluice start: the store failed, retrying: ${(err as Error).message}`),
  });

  const tokenOf = (path: string, name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const v = deps.env[name];
    if (!v) throw new StartEnvError(path, name);
    return v;
  };
  const sources: string[] = [];
  if (cfg.sources.demo.enabled) sources.push('demo');
  if (cfg.sources.stdin) sources.push('stdin');
  if (cfg.sources.http) sources.push('http');
  if (cfg.sources.kinesis) sources.push(`kinesis:${cfg.sources.kinesis.stream_name}`);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(
      {
        pipeline,
        search,
        ui: deps.ui,
        ingestToken: cfg.sources.http
          ? tokenOf('http.ingest_token_env', cfg.http.ingest_token_env)
          : undefined,
        firehoseAccessKey: cfg.sources.http
          ? tokenOf('http.firehose_access_key_env', cfg.http.firehose_access_key_env)
          : undefined,
        limits: {
          maxBodyBytes: cfg.http.max_body_bytes,
          maxDecodedBytes: cfg.http.limits.max_decoded_bytes,
          maxEventsPerRequest: cfg.http.limits.max_events_per_request,
          maxEventBytes: cfg.http.limits.max_event_bytes,
          maxEventFields: cfg.http.limits.max_event_fields,
        },
        maxConcurrentIngest: cfg.http.limits.max_concurrent_requests,
        timeouts: {
          requestMs: cfg.http.limits.request_timeout_ms,
          headersMs: cfg.http.limits.headers_timeout_ms,
          maxConnections: cfg.http.limits.max_connections,
        },
        access: {
          allowedHosts: cfg.http.allowed_hosts,
          corsOrigins: cfg.http.cors_origins,
          token: tokenOf('http.token_env', cfg.http.token_env),
          cookieName: `sluice_token_${cfg.http.port}`,
        },
        info: { sources, ingest: cfg.sources.http, dataDir },
        ingestEnabled: cfg.sources.http,
      },
      cfg.http.host,
      cfg.http.port,
    );
  } catch (err) {
    // Nothing may keep the process alive after a failed start (a busy port exits at once).
    await retention?.stop();
    await pipeline.stop();
    await search.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new SluiceError(
        'START_PORT_IN_USE',
        `${cfg.http.host}:${cfg.http.port} is in use: pass --port with a free port (or 0 for any free port)`,
        { cause: err },
      );
    }
    throw err;
  }

  const sourcesAbort = new AbortController();
  const tasks: Promise<void>[] = [];
  if (cfg.sources.demo.enabled) {
    const storedUntil = await newestDemoEvent(search, cfg.sources.demo.backfill_minutes);
    tasks.push(
      runDemo(pipeline, {
        storedUntil,
        signal: sourcesAbort.signal,
        ratePerSecond: cfg.sources.demo.rate_per_second,
        backfillMinutes: cfg.sources.demo.backfill_minutes,
      }),
    );
  }
  const kinesis = cfg.sources.kinesis;
  if (kinesis) {
    const { runKinesisSource } = await import('./sources/kinesis.js');
    tasks.push(
      runKinesisSource(kinesis, pipeline, {
        dataDir,
        env: deps.env,
        signal: sourcesAbort.signal,
        log: deps.log,
      }).catch((err: unknown) => {
        deps.log(`sluice start: the Kinesis source stopped: ${(err as Error).message}`);
      }),
    );
  }
  const stdinDone = cfg.sources.stdin
    ? readStdin(deps.stdin, pipeline, sourcesAbort.signal)
    : Promise.resolve();
  tasks.push(stdinDone);

  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    pipeline,
    search,
    stdinDone,
    stop() {
      stopped ??= (async () => {
        sourcesAbort.abort();
        server.server.close();
        await Promise.allSettled(tasks);
        await retention?.stop();
        // Searches first: a running one stops at once, and the store's closing checkpoint then
        // has no reader to wait for (it waited for running searches to end, seconds of CPU).
        await search.close();
        await pipeline.stop();
        await server.close();
      })();
      return stopped;
    },
  };
}
