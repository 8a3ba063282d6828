import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SluiceInfraConfig } from '../config/schema.js';
import { acknowledge } from '../nag.js';
import { removalPolicy } from './removal.js';

/** Props of {@link SluiceDeadLetters}. */
export interface SluiceDeadLettersProps {
  readonly config: Pick<SluiceInfraConfig, 'name' | 'dead_letters' | 'removal'>;
  readonly key: kms.IKey;
}

/**
 * Where nothing is lost: the handlers' dead letters (bucket or queue, per config) and the event
 * source mappings' on-failure records (the bucket, under `aws/lambda/`, records included). All
 * encrypted with the pipeline key, SSL enforced, public access blocked, expiring after
 * `retention_days`.
 */
export class SluiceDeadLetters extends Construct {
  /** Receives server access logs of the dead-letter bucket. */
  readonly accessLogs: s3.Bucket;
  /** Dead-letter bucket (always created: also the event source mappings' on-failure destination). */
  readonly bucket: s3.Bucket;
  /** Dead-letter queue (handlers' dead letters when `store: sqs`). */
  readonly queue: sqs.Queue;
  /** Environment the handlers need to reach the dead-letter store. */
  readonly handlerEnvironment: Record<string, string>;

  constructor(scope: Construct, id: string, props: SluiceDeadLettersProps) {
    super(scope, id);
    const { key } = props;
    const { retention_days: days, store } = props.config.dead_letters;
    const removal = removalPolicy(props.config);
    // With removal: destroy a bucket must be emptied first, or its deletion fails.
    const emptiedOnDelete = removal === RemovalPolicy.DESTROY ? { autoDeleteObjects: true } : {};
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [
        { expiration: Duration.days(Math.max(days, 90)), noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: removal,
      ...emptiedOnDelete,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'dead-letters/',
      lifecycleRules: [
        { expiration: Duration.days(days), noncurrentVersionExpiration: Duration.days(1) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: removal,
      ...emptiedOnDelete,
    });
    const queueProps = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(Math.min(days, 14)),
      removalPolicy: removal,
    };
    // The queue is itself the last stop; a queue for its own failures would be circular.
    this.queue = new sqs.Queue(this, 'Queue', queueProps);
    acknowledge(
      this.queue,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter store, the last stop (alarmed on arrival).',
    );
    this.handlerEnvironment =
      store === 's3'
        ? { SLUICE_DLQ_BUCKET: this.bucket.bucketName }
        : { SLUICE_DLQ_QUEUE_URL: this.queue.queueUrl };
  }
}
