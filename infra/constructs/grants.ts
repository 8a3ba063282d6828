import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/*
 * Explicit, action-by-action grants. The CDK `grant*` helpers add wildcard actions
 * (`kms:GenerateDataKey*`, `s3:Abort*`, …); on the pipeline's own resources we name every action.
 */

/** `kinesis:PutRecord(s)` on a stream plus the key actions a KMS-encrypted stream needs. */
export function allowStreamWrite(role: iam.IRole, stream: kinesis.IStream, key: kms.IKey): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        'kinesis:PutRecord',
        'kinesis:PutRecords',
        'kinesis:ListShards',
        'kinesis:DescribeStreamSummary',
      ],
      resources: [stream.streamArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [key.keyArn] }),
  );
}

/** `s3:PutObject` under a prefix of a KMS-encrypted bucket. */
export function allowBucketPut(role: iam.IRole, bucket: s3.IBucket, key: kms.IKey, prefix: string): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
  );
}

/** `sqs:SendMessage` on a queue (plus its KMS key when it has one). */
export function allowQueueSend(role: iam.IRole, queue: sqs.IQueue): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resources: [queue.queueArn],
    }),
  );
  if (queue.encryptionMasterKey) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [queue.encryptionMasterKey.keyArn],
      }),
    );
  }
}

/** Lets a function write its own log group (instead of the broad AWSLambdaBasicExecutionRole). */
export function allowOwnLogs(role: iam.IRole, logGroupArn: string): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroupArn],
    }),
  );
}

/**
 * On-failure destination of an event source mapping with an explicit grant (the CDK's
 * `SqsDlq` / `S3OnFailureDestination` grant wildcard actions).
 */
export class OnFailureDestination implements lambda.IEventSourceDlq {
  constructor(
    private readonly target:
      | { kind: 'sqs'; queue: sqs.IQueue }
      | { kind: 's3'; bucket: s3.IBucket; key: kms.IKey; prefix: string },
  ) {}

  bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    const role = targetHandler.role;
    if (!role) throw new Error('an on-failure destination needs the function role');
    if (this.target.kind === 'sqs') {
      allowQueueSend(role, this.target.queue);
      return { destination: this.target.queue.queueArn };
    }
    const { bucket, key, prefix } = this.target;
    allowBucketPut(role, bucket, key, prefix);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    return { destination: bucket.bucketArn };
  }
}
