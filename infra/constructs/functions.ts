import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_PARTITION_BUCKETS } from '../../sinks/kinesis/pack.js';
import { indexLifecycle } from '../config/indices.js';
import type { SluiceInfraConfig } from '../config/schema.js';
import { acknowledge, acknowledgeRuntime, arnWildcardFinding } from '../nag.js';
import type { FunctionFactory, SluiceFunctionSpec } from './code.js';
import type { SluiceDeadLetters } from './dead-letters.js';
import { consumeStream, type StreamConsumer } from './event-sources.js';
import { allowBucketPut, allowOwnLogs, allowQueueSend, allowStreamWrite } from './grants.js';
import type { SluiceStreams } from './streams.js';

/** Entries of the pipeline handlers (their environment: docs/lambda.md, "Environment variables"). */
export const HANDLER_ENTRIES = {
  transform: 'lambda/transform-handler.ts',
  sink: 'lambda/sink-handler.ts',
} as const;

/**
 * V8's old-generation limit of a pipeline function: half its memory. Lambda's Node.js runtime
 * bootstrap sizes the heap itself from the function memory (most of it) unless `NODE_OPTIONS`
 * names a limit, an undocumented script detail; an explicit half leaves the rest for what lives
 * outside the V8 heap (payload and gzip Buffers, the runtime, native code) and makes V8 collect
 * instead of growing towards the function's limit (docs/lambda.md, "Memory").
 */
export function heapLimitMb(memoryMb: number): number {
  return Math.floor(memoryMb / 2);
}

/** `NODE_OPTIONS` of a pipeline function of `memoryMb` (source maps for stack traces, the heap bound). */
export function nodeOptions(memoryMb: number): string {
  return `--enable-source-maps --max-old-space-size=${heapLimitMb(memoryMb)}`;
}

/** Props of {@link SluiceFunctions}. */
export interface SluiceFunctionsProps {
  readonly config: SluiceInfraConfig;
  readonly streams: SluiceStreams;
  readonly deadLetters: SluiceDeadLetters;
  readonly makeFunction: FunctionFactory;
  /** Endpoint, service and VPC placement of the sink (from the OpenSearch construct). */
  readonly sinkTarget: { endpoint: string; service: 'es' | 'aoss'; vpc?: SluiceFunctionSpec['vpc'] };
}

/** One pipeline stage: its function, the `live` alias the stream invokes, its role and log group. */
export interface SluiceStage {
  readonly fn: lambda.Function;
  readonly alias: lambda.Alias;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/**
 * The transform (raw → events) and sink (events → OpenSearch) Lambdas, each behind a `live`
 * alias that its Kinesis event source mapping invokes (so CodeDeploy can shift traffic); the
 * mappings and their failure handling are in `event-sources.ts`.
 */
export class SluiceFunctions extends Construct {
  readonly transform: SluiceStage;
  readonly sink: SluiceStage;
  /** The two Kinesis event source mappings (raw → transform, events → sink). */
  readonly consumers: readonly StreamConsumer[];

  constructor(scope: Construct, id: string, props: SluiceFunctionsProps) {
    super(scope, id);
    const { config, streams, deadLetters, makeFunction, sinkTarget } = props;
    const { functions: f } = config;
    const shared = {
      SLUICE_METRICS_NAMESPACE: config.metrics_namespace,
      SLUICE_LOG_LEVEL: config.log_level,
      ...deadLetters.handlerEnvironment,
    };
    const t = f.transform;
    this.transform = this.stage('Transform', makeFunction, config, {
      entry: HANDLER_ENTRIES.transform,
      description: 'Sluice transform: CloudWatch Logs payloads from "raw" to LogEvents on "events"',
      memoryMb: t.memory_mb,
      ...(t.reserved_concurrency !== null ? { reservedConcurrency: t.reserved_concurrency } : {}),
      timeout: Duration.seconds(t.timeout_s),
      environment: {
        ...shared,
        NODE_OPTIONS: nodeOptions(t.memory_mb),
        SLUICE_EVENTS_STREAM: streams.events.streamName,
        ...(t.rules_file ? { SLUICE_RULES_FILE: '/var/task/rules.yaml' } : {}),
        ...(t.secrets_arn ? { SLUICE_SECRETS_ARN: t.secrets_arn } : {}),
        ...(t.transaction_id_fields.length > 0
          ? { SLUICE_TRANSACTION_ID_FIELDS: t.transaction_id_fields.join(',') }
          : {}),
        ...(t.events_compression === 'none' ? { SLUICE_EVENTS_COMPRESSION: 'none' } : {}),
        // Enough partition-key buckets (≥ 8 a shard) that a large provisioned events stream fills evenly.
        ...(config.streams.mode === 'provisioned' &&
        config.streams.events_shards * 8 > DEFAULT_PARTITION_BUCKETS
          ? { SLUICE_EVENTS_PARTITION_BUCKETS: String(config.streams.events_shards * 8) }
          : {}),
      },
      ...(t.rules_file ? { extraFiles: { [t.rules_file]: 'rules.yaml' } } : {}),
    });
    const s = f.sink;
    this.sink = this.stage('Sink', makeFunction, config, {
      entry: HANDLER_ENTRIES.sink,
      description: 'Sluice sink: LogEvents from "events" into OpenSearch',
      memoryMb: s.memory_mb,
      ...(s.reserved_concurrency !== null ? { reservedConcurrency: s.reserved_concurrency } : {}),
      timeout: Duration.seconds(s.timeout_s),
      environment: {
        ...shared,
        NODE_OPTIONS: nodeOptions(s.memory_mb),
        SLUICE_OPENSEARCH_ENDPOINT: sinkTarget.endpoint,
        SLUICE_OPENSEARCH_SERVICE: sinkTarget.service,
        SLUICE_INDEX_PREFIX: config.index_prefix,
        // What the deploy-time setup applied (same object), so the sink's own setup keeps it.
        SLUICE_INDEX_LIFECYCLE: JSON.stringify(indexLifecycle(config.indices)),
        ...(s.retry_budget_ms !== undefined ? { SLUICE_RETRY_BUDGET_MS: String(s.retry_budget_ms) } : {}),
      },
      ...(sinkTarget.vpc ? { vpc: sinkTarget.vpc } : {}),
    });

    allowStreamWrite(this.transform.role, streams.events, streams.key);
    if (t.secrets_arn) {
      this.transform.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [t.secrets_arn] }),
      );
    }
    for (const stage of [this.transform, this.sink]) {
      if (config.dead_letters.store === 's3') {
        allowBucketPut(stage.role, deadLetters.bucket, streams.key, 'dead-letters/');
      } else {
        allowQueueSend(stage.role, deadLetters.queue);
      }
    }
    for (const stage of [this.transform, this.sink]) {
      acknowledgeRuntime(stage.fn, f.runtime);
      if (config.dead_letters.store === 's3') {
        acknowledge(
          stage.role,
          arnWildcardFinding(deadLetters.bucket, '/dead-letters/*'),
          'Dead letters are new objects with generated keys under one prefix; only s3:PutObject is allowed.',
        );
      }
    }
    const consumer = { config, bucket: deadLetters.bucket, key: streams.key };
    this.consumers = [
      consumeStream({ ...consumer, stage: 'transform', alias: this.transform.alias, stream: streams.raw }),
      consumeStream({ ...consumer, stage: 'sink', alias: this.sink.alias, stream: streams.events }),
    ];
  }

  private stage(
    id: string,
    makeFunction: FunctionFactory,
    config: SluiceInfraConfig,
    spec: Omit<SluiceFunctionSpec, 'role' | 'logGroup' | 'runtime'>,
  ): SluiceStage {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: config.functions.log_retention_days,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Sluice ${id.toLowerCase()} handler`,
    });
    allowOwnLogs(role, logGroup.logGroupArn);
    const fn = makeFunction(this, id, { ...spec, runtime: config.functions.runtime, role, logGroup });
    const alias = new lambda.Alias(this, `${id}Live`, { aliasName: 'live', version: fn.currentVersion });
    return { fn, alias, role, logGroup };
  }
}
