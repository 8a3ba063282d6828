import { z } from 'zod';
import { ON_FAILURE_ERROR_CODES, OnFailureError } from './errors.js';

/*
 * What a Lambda event source mapping writes to an S3 on-failure destination for a Kinesis batch it
 * gave up on (docs: "Retain discarded batch records for a Kinesis Data Streams event source"): the
 * metadata every destination gets (`requestContext`, `responseContext`, `version`, `timestamp`,
 * `KinesisBatchInfo`) plus, for S3 only, `payload`: the whole invocation event
 * (`{"Records":[{"kinesis":{"data": base64, "partitionKey", "sequenceNumber", …}, …}]}`), under
 * `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`.
 * `sluice run` writes the same metadata with the records as `records: [{sequenceNumber,
 * partitionKey, data}]`; both are read here.
 */

const KinesisRecordSchema = z.object({
  kinesis: z.object({
    data: z.base64(),
    partitionKey: z.string().min(1).max(256),
    sequenceNumber: z.string().min(1),
  }),
});
const EventSchema = z.object({ Records: z.array(KinesisRecordSchema) });

const OnFailureRecordSchema = z.object({
  requestContext: z.object({
    condition: z.string().optional(),
    approximateInvokeCount: z.number().optional(),
    functionArn: z.string().optional(),
  }),
  timestamp: z.string().optional(),
  KinesisBatchInfo: z.object({
    shardId: z.string().min(1),
    startSequenceNumber: z.string().min(1),
    endSequenceNumber: z.string().min(1),
    batchSize: z.number().int().nonnegative(),
    streamArn: z.string().regex(/^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]+$/),
  }),
  // S3 destinations of Lambda: the invocation event, as an object or as its JSON text.
  payload: z.unknown().optional(),
  // The local runner's file and S3 destinations.
  records: z
    .array(
      z.object({
        sequenceNumber: z.string().min(1),
        partitionKey: z.string().min(1).max(256),
        data: z.base64(),
      }),
    )
    .optional(),
});

/** One Kinesis record of a failed batch, as it was on its stream. */
export interface FailedKinesisRecord {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Buffer;
}

/** A batch an event source mapping gave up on. */
export interface FailedBatch {
  /** The stream the records came from (and go back to). */
  readonly streamArn: string;
  readonly streamName: string;
  readonly region: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  /** `RetryAttemptsExhausted`, `RecordAgeExceeded`, … as Lambda wrote it. */
  readonly condition: string;
  /** The records, oldest first; `undefined` when the record is a pointer only (SQS/SNS shape). */
  readonly records: readonly FailedKinesisRecord[] | undefined;
}

/**
 * Parses an on-failure record (JSON text). Throws {@link OnFailureError} `ON_FAILURE_RECORD_INVALID`
 * naming the wrong or missing fields (never their values).
 */
export function parseOnFailureRecord(text: string): FailedBatch {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  const parsed = OnFailureRecordSchema.safeParse(json);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))];
    throw invalid(`wrong or missing: ${paths.join(', ')}`);
  }
  const r = parsed.data;
  const info = r.KinesisBatchInfo;
  const [, , , region = '', , resource = ''] = info.streamArn.split(':');
  return {
    streamArn: info.streamArn,
    streamName: resource.slice('stream/'.length),
    region,
    shardId: info.shardId,
    startSequenceNumber: info.startSequenceNumber,
    endSequenceNumber: info.endSequenceNumber,
    condition: r.requestContext.condition ?? 'unknown',
    records: recordsOf(r),
  };
}

function recordsOf(r: z.infer<typeof OnFailureRecordSchema>): FailedKinesisRecord[] | undefined {
  if (r.records) {
    return r.records.map((x) => ({
      sequenceNumber: x.sequenceNumber,
      partitionKey: x.partitionKey,
      data: Buffer.from(x.data, 'base64'),
    }));
  }
  if (r.payload === undefined) return undefined;
  let inner: unknown = r.payload;
  if (typeof inner === 'string') {
    try {
      inner = JSON.parse(inner);
    } catch {
      throw invalid('payload is text but not JSON');
    }
  }
  const parsed = EventSchema.safeParse(inner);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => ['payload', ...i.path].join('.')))];
    throw invalid(`wrong or missing: ${paths.join(', ')}`);
  }
  const event = parsed.data;
  return event.Records.map((x) => ({
    sequenceNumber: x.kinesis.sequenceNumber,
    partitionKey: x.kinesis.partitionKey,
    data: Buffer.from(x.kinesis.data, 'base64'),
  }));
}

function invalid(detail: string): OnFailureError {
  return new OnFailureError(
    ON_FAILURE_ERROR_CODES.invalid,
    `not a Kinesis on-failure record (${detail}); expected Lambda's record: requestContext, KinesisBatchInfo {shardId, startSequenceNumber, endSequenceNumber, batchSize, streamArn} and payload {Records:[{kinesis:{data, partitionKey, sequenceNumber}}]}`,
  );
}
