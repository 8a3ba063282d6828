import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Client } from '@opensearch-project/opensearch';
import { compileRules } from '../filters/pipeline.js';
import type { RuleFile } from '../filters/rule-file.js';
import type { DeadLetterStore } from '../sinks/dead-letters/types.js';
import { createKinesisEventSink } from '../sinks/kinesis/sink.js';
import { createKinesisEventWriter } from '../sinks/kinesis/writer.js';
import type { IndexLifecycle } from '../sinks/opensearch/config.js';
import { createOpenSearchSink, type OpenSearchSink } from '../sinks/opensearch/sink.js';
import { compileNormalizer } from '../transform/normalize.js';
import { createBatchMetrics } from './metrics.js';
import type { HandlerLog } from './ports.js';
import { createSinkHandler, type SinkHandler } from './sink.js';
import { createTransformHandler, type TransformHandler } from './transform.js';

/** What both stages need besides their own parts. */
export interface StageCommon {
  readonly region: string;
  readonly metricsNamespace: string;
  /** Where the per-batch EMF line goes (default stdout). */
  readonly writeMetrics?: (line: string) => void;
  readonly log?: HandlerLog;
  readonly deadLetters: DeadLetterStore;
}

/** Parts of the transform stage. */
export interface TransformStageOptions extends StageCommon {
  readonly kinesis: KinesisClient;
  readonly eventsStream: string;
  /** Parsed rules file; the default pack alone when absent. */
  readonly rules?: RuleFile;
  /** Named HMAC keys for hash redaction. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly transactionIdFields?: readonly string[];
  /** Partition-key buckets of the events stream (default: the writer's). */
  readonly partitionBuckets?: number;
  /** Encoding of events-stream records (default: the writer's, gzip). */
  readonly compression?: 'gzip' | 'none';
  /** PutRecords tuning (tests use small delays). */
  readonly putRetry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Inflated bytes per slice of a batch (default `DEFAULT_SLICE_BYTES`, `slice.ts`). */
  readonly sliceBytes?: number;
}

/**
 * Compiles the transform stage (normalizer, filters, events-stream writer, metrics) and
 * returns its handler. Used by the Lambda composition root and by `sluice run`.
 */
export function buildTransformHandler(o: TransformStageOptions): TransformHandler {
  return createTransformHandler({
    normalizer: compileNormalizer({
      region: o.region,
      transactionIdFields: o.transactionIdFields,
    }),
    filters: compileRules(o.rules, o.secrets ? { secrets: o.secrets } : {}),
    sink: createKinesisEventSink({
      writer: createKinesisEventWriter({
        client: o.kinesis,
        streamName: o.eventsStream,
        partitionBuckets: o.partitionBuckets,
        compression: o.compression,
        ...o.putRetry,
      }),
      deadLetters: o.deadLetters,
    }),
    deadLetters: o.deadLetters,
    metrics: createBatchMetrics({
      namespace: o.metricsNamespace,
      stage: 'transform',
      write: o.writeMetrics,
    }),
    log: o.log,
    ...(o.sliceBytes !== undefined ? { sliceBytes: o.sliceBytes } : {}),
  });
}

/** Parts of the sink stage. */
export interface SinkStageOptions extends StageCommon {
  /** An OpenSearch client (`createOpenSearchClient`). */
  readonly opensearch: Client;
  readonly indexPrefix: string;
  readonly retryBudgetMs?: number;
  /** Index settings and lifecycle the sink's setup installs. */
  readonly indexLifecycle?: IndexLifecycle;
  /** `index.refresh_interval` of the backing indices (default: the sink config's, 5 s). */
  readonly refreshInterval?: string;
  /** NDJSON bytes per slice of a batch (default `DEFAULT_SLICE_BYTES`, `slice.ts`). */
  readonly sliceBytes?: number;
}

/**
 * Builds the OpenSearch sink (with dead letters) and the sink handler over it. Returns the
 * sink too, so the caller can `setup()` / `close()` it.
 */
export function buildSinkHandler(o: SinkStageOptions): { handler: SinkHandler; sink: OpenSearchSink } {
  const sink = createOpenSearchSink({
    client: o.opensearch,
    indexPrefix: o.indexPrefix,
    deadLetters: o.deadLetters,
    retryBudgetMs: o.retryBudgetMs,
    config: { ...o.indexLifecycle, refresh_interval: o.refreshInterval },
  });
  const handler = createSinkHandler({
    sink,
    deadLetters: o.deadLetters,
    metrics: createBatchMetrics({
      namespace: o.metricsNamespace,
      stage: 'sink',
      write: o.writeMetrics,
    }),
    log: o.log,
    ...(o.sliceBytes !== undefined ? { sliceBytes: o.sliceBytes } : {}),
  });
  return { handler, sink };
}
