import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamHandler } from 'aws-lambda';
import pino from 'pino';
import { parseRuleFile } from '../../filters/parse.js';
import { buildSinkHandler, buildTransformHandler } from '../../lambda/wiring.js';
import { type CheckpointStore, openFileCheckpointStore } from '../../runner/checkpoint.js';
import { createFileDestination } from '../../runner/destination.js';
import { type MappingOptionsInput, parseMappingOptions } from '../../runner/options.js';
import { createEventSourceRunner, type EventSourceRunner } from '../../runner/runner.js';
import { createFileDeadLetterStore } from '../../sinks/dead-letters/file-store.js';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import type { PutRecordsClient } from '../../sinks/kinesis/writer.js';
import { createOpenSearchClient } from '../../sinks/opensearch/client.js';
import { createTestStream, motoConfig, uniqueName } from '../factories/aws.js';

/** The rules of the end-to-end runs: a drop rule, e-mail hashing, the default secret pack. */
const E2E_RULES = `
rules:
  - name: drop-health-checks
    kind: drop
    drop_when: { field: attributes.path, matches: "^/health" }
  - name: hash-emails
    kind: redact
    detectors: [email]
    action: hash
    hash_key: PII_KEY
`;

/** One log line a component wrote, with the CloudWatch destination it goes to. */
export interface ComponentLine {
  readonly group: string;
  readonly stream: string;
  readonly timestamp: number;
  readonly message: string;
}

/** A component logging through pino into memory (then `PutLogEvents`). */
export function component(
  service: string,
  group: string,
  stream: string,
  sink: ComponentLine[],
  clock: () => number,
) {
  const logger = pino(
    { base: { service }, timestamp: () => `,"time":${clock()}` },
    {
      write(line: string) {
        const parsed = JSON.parse(line) as { time: number };
        sink.push({ group, stream, timestamp: parsed.time, message: line.trimEnd() });
      },
    },
  );
  const raw = (message: string) => sink.push({ group, stream, timestamp: clock(), message });
  return { logger, raw };
}

/** Real AWS-emulator resources of one run (streams, log groups with subscription filters). */
export async function createWorld(endpoint: string, groups: readonly string[]) {
  const config = motoConfig(endpoint);
  const kinesis = createKinesisClient(config);
  const logs = new CloudWatchLogsClient(config);
  const raw = await createTestStream(kinesis, uniqueName('sluice-e2e-raw'), 2);
  const events = await createTestStream(kinesis, uniqueName('sluice-e2e-events'), 2);
  for (const group of groups) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(
      new PutSubscriptionFilterCommand({
        logGroupName: group,
        filterName: 'sluice',
        filterPattern: '',
        destinationArn: raw.arn,
        roleArn: 'arn:aws:iam::123456789012:role/sluice-cwl-to-kinesis',
      }),
    );
  }
  const streams = new Set<string>();
  return {
    /** The AWS endpoint its clients use. */
    endpoint,
    kinesis,
    logs,
    raw,
    events,
    /** `PutLogEvents` per log stream, in chunks (moto's subscription filter sends one payload per call). */
    async ship(lines: readonly ComponentLine[], chunk = 25): Promise<number> {
      const byStream = new Map<string, ComponentLine[]>();
      for (const l of lines) {
        const key = `${l.group}\u0000${l.stream}`;
        byStream.set(key, [...(byStream.get(key) ?? []), l]);
      }
      let calls = 0;
      for (const [key, list] of byStream) {
        const [group, stream] = key.split('\u0000') as [string, string];
        if (!streams.has(key)) {
          await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
          streams.add(key);
        }
        const sorted = [...list].sort((a, b) => a.timestamp - b.timestamp);
        for (let i = 0; i < sorted.length; i += chunk) {
          await logs.send(
            new PutLogEventsCommand({
              logGroupName: group,
              logStreamName: stream,
              logEvents: sorted
                .slice(i, i + chunk)
                .map((l) => ({ timestamp: l.timestamp, message: l.message })),
            }),
          );
          calls++;
        }
      }
      return calls;
    },
    async dispose() {
      for (const group of groups)
        await logs.send(new DeleteLogGroupCommand({ logGroupName: group })).catch(() => undefined);
      await raw.dispose().catch(() => undefined);
      await events.dispose().catch(() => undefined);
      logs.destroy();
      kinesis.destroy();
    },
  };
}

/** Parsed EMF lines of one stage. */
export type MetricsLine = Record<string, number | string> & { stage: string; dropReasons: string };

/** A world of {@link createWorld}: its Kinesis client and its two streams. */
export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * The two runners (transform, sink) over the handlers, as `sluice run` wires them, on the world's
 * raw and events streams; checkpoints, dead letters and failures go to `dir` (default: a fresh one).
 */
export async function startPipeline(o: {
  world: Pick<World, 'kinesis' | 'raw' | 'events'>;
  opensearchUrl: string;
  indexPrefix: string;
  dir?: string;
  mapping?: MappingOptionsInput;
  /** Wraps the transform stage's PutRecords client (fault injection). */
  wrapPut?: (client: KinesisClient) => PutRecordsClient;
  retryBudgetMs?: number;
}) {
  const kinesis = o.world.kinesis;
  const dir = o.dir ?? (await runDir());
  const metrics: MetricsLine[] = [];
  const deadLetterFile = join(dir, 'dead-letters.ndjson');
  const deadLetters = createFileDeadLetterStore(deadLetterFile);
  const checkpoints: CheckpointStore = await openFileCheckpointStore(join(dir, 'checkpoint.json'));
  const destination = createFileDestination(join(dir, 'runner-failures.ndjson'));
  const common = {
    region: 'us-east-1',
    metricsNamespace: 'SluiceE2E',
    deadLetters,
    writeMetrics: (line: string) => metrics.push(JSON.parse(line) as MetricsLine),
  };
  const transform = buildTransformHandler({
    ...common,
    kinesis: (o.wrapPut ? o.wrapPut(kinesis) : kinesis) as KinesisClient,
    eventsStream: o.world.events.name,
    rules: parseRuleFile(E2E_RULES, 'e2e-rules.yaml'),
    secrets: { PII_KEY: 'e2e-only-key' },
    putRetry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
  const opensearch = createOpenSearchClient({ node: o.opensearchUrl, requestTimeoutMs: 5000 });
  const { handler: sink, sink: osSink } = buildSinkHandler({
    ...common,
    opensearch,
    indexPrefix: o.indexPrefix,
    retryBudgetMs: o.retryBudgetMs ?? 2000,
  });
  const mapping = parseMappingOptions({
    batch_size: 50,
    poll_interval_ms: 100,
    retry_base_delay_ms: 50,
    retry_max_delay_ms: 500,
    shard_discovery_interval_ms: 1000,
    ...o.mapping,
  });
  const controller = new AbortController();
  const runner = (stream: string, handler: KinesisStreamHandler, functionName: string): EventSourceRunner =>
    createEventSourceRunner({
      client: kinesis,
      streamName: stream,
      region: 'us-east-1',
      handler,
      functionName,
      mapping,
      checkpoints,
      destination,
    });
  const transformRunner = runner(o.world.raw.name, transform as KinesisStreamHandler, 'sluice-transform');
  const sinkRunner = runner(o.world.events.name, sink as KinesisStreamHandler, 'sluice-sink');
  const done = Promise.all([transformRunner.run(controller.signal), sinkRunner.run(controller.signal)]);
  return {
    metrics,
    deadLetterFile,
    transformRunner,
    sinkRunner,
    /** Sum of one metric over the EMF lines of a stage. */
    total(stage: 'transform' | 'sink', name: string): number {
      return metrics.filter((m) => m.stage === stage).reduce((n, m) => n + Number(m[name] ?? 0), 0);
    },
    async stop() {
      controller.abort();
      const stats = await done;
      await osSink.close();
      return stats;
    },
  };
}

/** A fresh temp directory for one run's checkpoint, dead letters and failures. */
function runDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sluice-e2e-'));
}
