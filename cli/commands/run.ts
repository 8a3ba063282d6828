import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamHandler } from 'aws-lambda';
import { loadRuleFile } from '../../filters/parse.js';
import { buildSinkHandler, buildTransformHandler } from '../../lambda/wiring.js';
import { openFileCheckpointStore } from '../../runner/checkpoint.js';
import {
  createFileDestination,
  createS3Destination,
  createSqsDestination,
  type FailureDestination,
  parseDestinationSpec,
} from '../../runner/destination.js';
import { RunnerError } from '../../runner/errors.js';
import { type MappingOptionsInput, parseMappingOptions } from '../../runner/options.js';
import { waitUntilReady } from '../../runner/ready.js';
import { createEventSourceRunner, type EventSourceRunner } from '../../runner/runner.js';
import type { RunnerStats } from '../../runner/shard-reader.js';
import { createFileDeadLetterStore } from '../../sinks/dead-letters/file-store.js';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import { createOpenSearchClient } from '../../sinks/opensearch/client.js';
import { awsClientSettings } from '../aws.js';
import { type Command, type CommandIo, EXIT, UsageError } from '../command.js';

const HELP = [
  'Usage: sluice run --raw-stream NAME --events-stream NAME --opensearch URL [options]',
  '',
  'Polls Kinesis like a Lambda event source mapping and invokes the Sluice handlers locally:',
  'raw stream → transform handler → events stream → sink handler → OpenSearch.',
  'Works against the moto emulator (--endpoint) or a real account (default credential chain).',
  '',
  'Stages:',
  '  --raw-stream NAME          stream of CloudWatch Logs subscription payloads (transform input)',
  '  --events-stream NAME       stream the transform writes to and the sink reads from',
  '  --opensearch URL           OpenSearch node of the sink stage',
  '  --only transform|sink      run one stage only',
  '  --rules FILE               rules file of the transform stage (default pack when absent)',
  '  --index-prefix PREFIX      index prefix (default sluice-logs)',
  '  --refresh-interval T       index.refresh_interval of the backing indices the sink creates, an',
  '                             OpenSearch time value (500ms, 1s, 5s, 1m; -1 = never). Default 1s, so a',
  '                             local run is searchable within seconds; the deployed sink ships 5s',
  '  --dead-letters FILE        dead-letter NDJSON file (default .sluice/dead-letters.ndjson)',
  '',
  'AWS:',
  '  --endpoint URL             AWS endpoint, e.g. http://127.0.0.1:5000 for moto',
  '  --region REGION            default $AWS_REGION, else us-east-1',
  '',
  'Event source mapping (Lambda names and defaults):',
  '  --batch-size N             records per invocation (1-10000, default 100)',
  '  --batching-window-ms N     gather records this long before invoking (default 0)',
  '  --starting-position P      trim_horizon (default) or latest, for shards without a checkpoint',
  '  --bisect-on-error          split a failing batch in halves and retry them separately',
  '  --max-retries N            retries before the on-failure destination (-1 = until expired; default -1)',
  '  --max-record-age-s N       records older than this go to the on-failure destination (-1 = never)',
  '  --no-report-batch-item-failures  ignore batchItemFailures (retry whole batches)',
  '  --poll-interval-ms N       wait after an empty GetRecords (default 250)',
  '  --on-failure DEST          FILE, s3://BUCKET/PREFIX or an SQS queue URL',
  '                             (default .sluice/runner-failures.ndjson)',
  '  --checkpoint FILE          checkpoint file (default .sluice/runner-checkpoint.json);',
  '                             a restarted runner resumes from it',
  '',
  'The sink stage waits (with backoff, logging each attempt) while OpenSearch does not answer;',
  'the transform stage runs meanwhile and events wait in the events stream. Records are',
  'checkpointed only once delivered, so a killed runner resumes without losing any.',
  'Stops cleanly on SIGINT/SIGTERM: in-flight invocations finish and are checkpointed.',
].join('\n');

const OPTIONS = {
  'raw-stream': { type: 'string' },
  'events-stream': { type: 'string' },
  opensearch: { type: 'string' },
  only: { type: 'string' },
  rules: { type: 'string' },
  'index-prefix': { type: 'string' },
  'refresh-interval': { type: 'string' },
  'dead-letters': { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'batch-size': { type: 'string' },
  'batching-window-ms': { type: 'string' },
  'starting-position': { type: 'string' },
  'bisect-on-error': { type: 'boolean' },
  'max-retries': { type: 'string' },
  'max-record-age-s': { type: 'string' },
  'no-report-batch-item-failures': { type: 'boolean' },
  'poll-interval-ms': { type: 'string' },
  'on-failure': { type: 'string' },
  checkpoint: { type: 'string' },
} as const;

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer`);
  return Number(value);
}

/**
 * The refresh interval of `sluice run`'s indices: 1 s unless given, as `sluice start` does (a local
 * run is for watching events arrive); the deployed sink keeps its own default (5 s, fewer segments).
 */
export const RUN_REFRESH_INTERVAL = '1s';

/** An OpenSearch time value as `index.refresh_interval` takes it (`-1` disables refresh). */
const TIME_VALUE = /^(?:-1|\d{1,9}(?:nanos|micros|ms|s|m|h|d))$/;

/** `--refresh-interval`: an OpenSearch time value, else a usage error saying what is expected. */
export function parseRefreshInterval(value: string | undefined): string {
  if (value === undefined) return RUN_REFRESH_INTERVAL;
  if (!TIME_VALUE.test(value))
    throw new UsageError(
      '--refresh-interval must be an OpenSearch time value such as 500ms, 1s, 5s or 1m (or -1 to disable refresh)',
    );
  return value;
}

function mappingFrom(v: Record<string, string | boolean | undefined>): MappingOptionsInput {
  const m: MappingOptionsInput = {};
  const s = (k: string) => v[k] as string | undefined;
  const set = <K extends keyof MappingOptionsInput>(key: K, value: MappingOptionsInput[K] | undefined) => {
    if (value !== undefined) m[key] = value;
  };
  set('batch_size', int('batch-size', s('batch-size')));
  set('maximum_batching_window_ms', int('batching-window-ms', s('batching-window-ms')));
  set('maximum_retry_attempts', int('max-retries', s('max-retries')));
  set('maximum_record_age_s', int('max-record-age-s', s('max-record-age-s')));
  set('poll_interval_ms', int('poll-interval-ms', s('poll-interval-ms')));
  if (v['bisect-on-error']) m.bisect_batch_on_error = true;
  if (v['no-report-batch-item-failures']) m.report_batch_item_failures = false;
  const pos = s('starting-position');
  if (pos !== undefined) {
    if (pos !== 'trim_horizon' && pos !== 'latest')
      throw new UsageError('--starting-position must be trim_horizon or latest');
    m.starting_position = pos === 'latest' ? 'LATEST' : 'TRIM_HORIZON';
  }
  return m;
}

function destinationFor(spec: string, aws: object): FailureDestination {
  const d = parseDestinationSpec(spec);
  if (d.kind === 'file') return createFileDestination(d.path);
  if (d.kind === 's3')
    return createS3Destination({
      client: new S3Client(aws),
      bucket: d.bucket,
      ...(d.prefix ? { prefix: d.prefix } : {}),
    });
  return createSqsDestination({ client: new SQSClient(aws), queueUrl: d.queueUrl });
}

/** The URL without user info (a node URL may carry credentials). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** `sluice run`: the local event-source runner over the transform and sink handlers. */
export const command: Command = {
  name: 'run',
  summary: 'Poll Kinesis like Lambda event source mappings and run the transform and sink handlers',
  help: HELP,
  async run(argv, io: CommandIo) {
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const only = values['only'] as string | undefined;
    if (only !== undefined && only !== 'transform' && only !== 'sink')
      throw new UsageError('--only must be transform or sink');
    const wantTransform = only !== 'sink';
    const wantSink = only !== 'transform';
    const raw = values['raw-stream'] as string | undefined;
    const events = values['events-stream'] as string | undefined;
    const node = values['opensearch'] as string | undefined;
    const missing = [
      wantTransform && !raw ? '--raw-stream' : '',
      !events ? '--events-stream' : '',
      wantSink && !node ? '--opensearch' : '',
    ].filter(Boolean);
    if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (see sluice run --help)`);

    const refreshInterval = parseRefreshInterval(values['refresh-interval'] as string | undefined);
    let mapping: ReturnType<typeof parseMappingOptions>;
    try {
      mapping = parseMappingOptions(mappingFrom(values));
    } catch (err) {
      if (err instanceof RunnerError) throw new UsageError(err.message);
      throw err;
    }
    const aws = awsClientSettings(
      { region: values['region'] as string | undefined, endpoint: values['endpoint'] as string | undefined },
      io,
    );
    const { region } = aws;
    const dir = join(io.cwd, '.sluice');
    const deadLetters = createFileDeadLetterStore(
      (values['dead-letters'] as string | undefined) ?? join(dir, 'dead-letters.ndjson'),
    );
    const checkpoints = await openFileCheckpointStore(
      (values['checkpoint'] as string | undefined) ?? join(dir, 'runner-checkpoint.json'),
    );
    const destination = destinationFor(
      (values['on-failure'] as string | undefined) ?? join(dir, 'runner-failures.ndjson'),
      aws,
    );
    const kinesis = createKinesisClient(aws);
    const line = (obj: object): void => {
      io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...obj })}\n`);
    };
    const log = {
      info: (fields: object, msg: string) => line({ level: 'info', msg, ...fields }),
      warn: (fields: object, msg: string) => line({ level: 'warn', msg, ...fields }),
      error: (fields: object, msg: string) => line({ level: 'error', msg, ...fields }),
    };
    const common = {
      region,
      metricsNamespace: 'Sluice',
      deadLetters,
      log,
      writeMetrics: (l: string) => io.stderr.write(`${l}\n`),
    };

    /** A stage: its runner, and what must answer before it starts (the sink's OpenSearch node). */
    const runners: { name: string; runner: EventSourceRunner; ready?: () => Promise<unknown> }[] = [];
    const closers: (() => Promise<void>)[] = [];
    if (wantTransform && raw && events) {
      const rulesPath = values['rules'] as string | undefined;
      const rules = rulesPath ? await loadRuleFile(rulesPath) : undefined;
      const handler = buildTransformHandler({
        ...common,
        kinesis,
        eventsStream: events,
        ...(rules ? { rules } : {}),
      });
      runners.push({
        name: 'transform',
        runner: runnerFor(raw, handler as KinesisStreamHandler, 'sluice-transform'),
      });
    }
    if (wantSink && node && events) {
      const { handler, sink } = buildSinkHandler({
        ...common,
        opensearch: createOpenSearchClient({ node }),
        indexPrefix: (values['index-prefix'] as string | undefined) ?? 'sluice-logs',
        refreshInterval,
      });
      closers.push(() => sink.close());
      runners.push({
        name: 'sink',
        runner: runnerFor(events, handler as KinesisStreamHandler, 'sluice-sink'),
        // Templates and the ISM policy go in before the first batch; a node that is down does not
        // stop the runner (the transform stage keeps going, events wait in the events stream).
        ready: () => sink.setup(),
      });
    }

    function runnerFor(
      stream: string,
      handler: KinesisStreamHandler,
      functionName: string,
    ): EventSourceRunner {
      return createEventSourceRunner({
        client: kinesis,
        streamName: stream,
        region,
        handler,
        functionName,
        mapping,
        checkpoints,
        destination,
        log: (entry) => line({ ...entry, stream }),
      });
    }

    line({ level: 'info', msg: 'runner started', stages: runners.map((r) => r.name) });
    const runStage = async (r: (typeof runners)[number]): Promise<RunnerStats & { stage: string }> => {
      if (r.ready) {
        const ready = await waitUntilReady(r.ready, {
          what: 'OpenSearch',
          fields: { stage: r.name, node: node ? redactUrl(node) : undefined },
          signal: io.signal,
          log: line,
        });
        if (!ready) return { stage: r.name, ...r.runner.stats };
        line({ level: 'info', msg: 'stage started', stage: r.name });
      }
      return { stage: r.name, ...(await r.runner.run(io.signal)) };
    };
    const stats = await Promise.all(runners.map(runStage));
    for (const close of closers) await close();
    kinesis.destroy();
    line({ level: 'info', msg: 'runner stopped', stats });
    return EXIT.ok;
  },
};
