import { Duration, Names } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { SluiceInfraConfig } from '../config/schema.js';
import { maxRecordAgeSeconds } from '../config/schema.js';
import { acknowledge, arnWildcardFinding } from '../nag.js';
import { OnFailureDestination } from './grants.js';

/** Where Lambda writes the on-failure records of a Kinesis event source mapping (its fixed prefix). */
const ON_FAILURE_PREFIX = 'aws/lambda/';

/** A stage's Kinesis event source mapping, as built by {@link consumeStream}. */
export interface StreamConsumer {
  readonly stage: 'transform' | 'sink';
  readonly mapping: lambda.EventSourceMapping;
  /** `MaximumRecordAgeInSeconds`: records older than this go to the on-failure bucket. */
  readonly maxRecordAgeS: number;
}

/** Props of {@link consumeStream}. */
export interface ConsumeStreamProps {
  readonly config: SluiceInfraConfig;
  readonly stage: 'transform' | 'sink';
  /** The `live` alias the mapping invokes. */
  readonly alias: lambda.Alias;
  readonly stream: kinesis.IStream;
  /** The on-failure bucket (the dead-letter bucket) and its key. */
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
}

/**
 * Maps a stream to a stage so that nothing it reads is lost:
 * - `ReportBatchItemFailures`: the handler checkpoints before the first record it could not
 *   deliver (a blocked or unreachable cluster hands the batch back, it is never dead-lettered);
 * - bisect on a function error (a crash or timeout), which isolates the record causing it;
 * - retries until the records near the stream's retention (`MaximumRetryAttempts` -1,
 *   `MaximumRecordAgeInSeconds` = retention − 1 h by default), so an outage of up to that long
 *   heals by itself, in order;
 * - whatever is given up on (retries exhausted, record too old) goes to the S3 on-failure
 *   destination, which keeps the records themselves (`payload`), under `aws/lambda/`, for
 *   `sluice dlq replay`.
 */
export function consumeStream(props: ConsumeStreamProps): StreamConsumer {
  const { config, stage, alias, stream, bucket, key } = props;
  const settings = config.functions[stage];
  const maxRecordAgeS = maxRecordAgeSeconds(config, stage);
  alias.addEventSource(
    new KinesisEventSource(stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: settings.batch_size,
      maxBatchingWindow: Duration.seconds(settings.max_batching_window_s),
      parallelizationFactor: settings.parallelization_factor,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      // The CDK refuses -1 (its "infinite" is to leave the property out); set below instead.
      ...(settings.retry_attempts >= 0 ? { retryAttempts: settings.retry_attempts } : {}),
      maxRecordAge: Duration.seconds(maxRecordAgeS),
      onFailure: new OnFailureDestination({ kind: 's3', bucket, key, prefix: ON_FAILURE_PREFIX }),
      // EventCount: OnFailureDestinationDeliveredEventCount and DroppedEventCount are alarmed.
      metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },
    }),
  );
  // The id KinesisEventSource gives the mapping it adds to the alias (kept: a new id replaces the
  // mapping, which would start again at TRIM_HORIZON).
  const mapping = alias.node.findChild(
    `KinesisEventSource:${Names.nodeUniqueId(stream.node)}`,
  ) as lambda.EventSourceMapping;
  if (settings.retry_attempts < 0) {
    (mapping.node.defaultChild as lambda.CfnEventSourceMapping).addPropertyOverride(
      'MaximumRetryAttempts',
      -1,
    );
  }
  const role = alias.lambda.role;
  if (role) {
    acknowledge(
      role,
      arnWildcardFinding(bucket, `/${ON_FAILURE_PREFIX}*`),
      'Lambda writes failed-batch records under aws/lambda/<mapping>/<shard>/…; only s3:PutObject is allowed.',
    );
  }
  return { stage, mapping, maxRecordAgeS };
}
