import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DestinationReason } from './deliver.js';
import { RUNNER_ERROR_CODES, RunnerError } from './errors.js';
import type { RunnerRecord, SourceInfo } from './event.js';

/**
 * What goes to the on-failure destination: the shape Lambda uses for Kinesis
 * (`requestContext` + `KinesisBatchInfo`), plus the records themselves (base64) for file and
 * S3 destinations so they can be replayed. SQS gets the metadata only, as with Lambda.
 */
export interface OnFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  records?: { sequenceNumber: string; partitionKey: string; data: string }[];
}

/** An on-failure destination. */
export interface FailureDestination {
  send(record: OnFailureRecord): Promise<void>;
}

/** Builds the on-failure record for records that could not be processed. Pure. */
export function buildOnFailureRecord(
  records: readonly RunnerRecord[],
  source: SourceInfo,
  info: { reason: DestinationReason; retries: number; lastError?: string; functionName: string; now: Date },
): OnFailureRecord {
  const first = records[0]!;
  const last = records[records.length - 1]!;
  return {
    version: '1.0',
    timestamp: info.now.toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:${source.region}:000000000000:function:${info.functionName}`,
      condition: info.reason === 'record_expired' ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted',
      approximateInvokeCount: info.reason === 'record_expired' ? info.retries : info.retries + 1,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(info.lastError ? { functionError: info.lastError } : {}),
    },
    KinesisBatchInfo: {
      shardId: source.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(first.arrivedAt).toISOString(),
      approximateArrivalOfLastRecord: new Date(last.arrivedAt).toISOString(),
      batchSize: records.length,
      streamArn: source.streamArn,
    },
    records: records.map((r) => ({
      sequenceNumber: r.sequenceNumber,
      partitionKey: r.partitionKey,
      data: Buffer.from(r.data).toString('base64'),
    })),
  };
}

/** Appends one JSON line per failed batch to a file. */
export function createFileDestination(path: string): FailureDestination {
  return {
    async send(record) {
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${JSON.stringify(record)}\n`);
    },
  };
}

/** Sends the metadata (no records) of each failed batch to an SQS queue, as Lambda does. */
export function createSqsDestination(o: { client: SQSClient; queueUrl: string }): FailureDestination {
  return {
    async send(record) {
      const { records: _records, ...metadata } = record;
      await o.client.send(
        new SendMessageCommand({ QueueUrl: o.queueUrl, MessageBody: JSON.stringify(metadata) }),
      );
    },
  };
}

/** Writes each failed batch (with its records) as one S3 object. */
export function createS3Destination(o: {
  client: S3Client;
  bucket: string;
  prefix?: string;
}): FailureDestination {
  const prefix = o.prefix ?? 'sluice-runner-failures/';
  return {
    async send(record) {
      const key = `${prefix}${record.timestamp.slice(0, 10)}/${record.KinesisBatchInfo.shardId}-${record.KinesisBatchInfo.startSequenceNumber}-${record.requestContext.requestId}.json`;
      await o.client.send(
        new PutObjectCommand({
          Bucket: o.bucket,
          Key: key,
          Body: JSON.stringify(record),
          ContentType: 'application/json',
        }),
      );
    },
  };
}

/** A parsed `--on-failure` value. */
export type DestinationSpec =
  | { kind: 'file'; path: string }
  | { kind: 'sqs'; queueUrl: string }
  | { kind: 's3'; bucket: string; prefix?: string };

/** Parses `s3://bucket/prefix`, an SQS queue URL (`https://…/ACCOUNT/QUEUE`) or a file path. */
export function parseDestinationSpec(spec: string): DestinationSpec {
  if (spec.startsWith('s3://')) {
    const [bucket, ...rest] = spec.slice(5).split('/');
    if (!bucket) {
      throw new RunnerError(
        RUNNER_ERROR_CODES.options,
        'on-failure destination s3:// has no bucket; expected s3://BUCKET[/PREFIX]',
      );
    }
    const prefix = rest.join('/');
    return {
      kind: 's3',
      bucket,
      ...(prefix ? { prefix: prefix.endsWith('/') ? prefix : `${prefix}/` } : {}),
    };
  }
  if (/^https?:\/\//.test(spec)) return { kind: 'sqs', queueUrl: spec };
  if (spec.length === 0) {
    throw new RunnerError(
      RUNNER_ERROR_CODES.options,
      'on-failure destination is empty; expected a file path, s3://BUCKET[/PREFIX] or an SQS queue URL',
    );
  }
  return { kind: 'file', path: spec };
}
