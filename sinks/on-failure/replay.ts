import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { backoffDelayMs, batchRecords, type PutRecordsClient, sleep } from '../kinesis/index.js';
import { ON_FAILURE_ERROR_CODES, OnFailureError } from './errors.js';
import type { FailedBatch, FailedKinesisRecord } from './record.js';
import type { FailedBatchSource, StoredFailedBatch } from './s3-source.js';

/** Counters of an on-failure replay (also its progress). */
export interface FailedBatchReplayReport {
  /** On-failure records read. */
  read: number;
  /** Whose records are back on their stream (acked: removed from the source). */
  replayed: number;
  /** Kinesis records put back. */
  records: number;
  /** Left in the source: not an on-failure record, a pointer without records, or the put failed. */
  kept: number;
}

/** Options of {@link replayFailedBatches}. */
export interface FailedBatchReplayOptions {
  /** A Kinesis client for the region of a batch's stream. */
  readonly kinesisFor: (region: string) => PutRecordsClient;
  readonly signal?: AbortSignal;
  /** `PutRecords` rounds for entries that keep failing, the first included (default 8). */
  readonly maxAttempts?: number;
  readonly random?: () => number;
  /** Called for each on-failure record left in the source, with why (never record content). */
  readonly onKept?: (location: string, error: OnFailureError) => void;
  readonly onProgress?: (report: Readonly<FailedBatchReplayReport>) => void;
}

/** Errors of a `PutRecords` call that a retry cannot fix. */
const FATAL = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'ValidationException',
  'InvalidArgumentException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSNotFoundException',
]);

/**
 * Puts the records of batches an event source mapping gave up on back on the stream they came
 * from — the raw stream's to the transform, the events stream's to the sink — with the same data
 * and partition keys, and acks each on-failure record once all its records are accepted. The stages
 * then process them like live traffic: events keep their ids, so what was already indexed comes
 * back `duplicate`. A record without records (a pointer only), one that is not an on-failure
 * record, or one whose put fails is kept and reported.
 */
export async function replayFailedBatches(
  source: FailedBatchSource,
  o: FailedBatchReplayOptions,
): Promise<FailedBatchReplayReport> {
  const report: FailedBatchReplayReport = { read: 0, replayed: 0, records: 0, kept: 0 };
  const keep = (s: StoredFailedBatch, error: OnFailureError): void => {
    report.kept++;
    o.onKept?.(s.location, error);
  };
  for await (const stored of source.read()) {
    if (o.signal?.aborted) break;
    report.read++;
    const { batch } = stored;
    if (!batch) {
      keep(stored, stored.error as OnFailureError);
    } else if (!batch.records) {
      keep(
        stored,
        new OnFailureError(
          ON_FAILURE_ERROR_CODES.noRecords,
          `holds no records, only a pointer into ${batch.streamName} (${batch.shardId}, ${batch.startSequenceNumber}…${batch.endSequenceNumber}); expected an S3 on-failure record with its payload`,
        ),
      );
    } else {
      try {
        await putAll(batch, batch.records, o);
        await stored.ack();
        report.replayed++;
        report.records += batch.records.length;
      } catch (err) {
        if (o.signal?.aborted) throw err;
        keep(
          stored,
          err instanceof OnFailureError
            ? err
            : new OnFailureError(ON_FAILURE_ERROR_CODES.put, (err as Error).message, { cause: err }),
        );
      }
    }
    o.onProgress?.(report);
  }
  return report;
}

async function putAll(
  batch: FailedBatch,
  records: readonly FailedKinesisRecord[],
  o: FailedBatchReplayOptions,
): Promise<void> {
  const client = o.kinesisFor(batch.region);
  const sized = records.map((r) => ({ ...r, bytes: r.data.length + Buffer.byteLength(r.partitionKey) }));
  for (const request of batchRecords(sized)) {
    let left = request;
    let lastError = 'none';
    for (let attempt = 1; left.length > 0; attempt++) {
      if (attempt > (o.maxAttempts ?? 8)) {
        throw new OnFailureError(
          ON_FAILURE_ERROR_CODES.put,
          `${left.length} records were not accepted by stream ${batch.streamName} after ${attempt - 1} rounds (last error: ${lastError}); expected PutRecords to succeed (check the stream's capacity, then replay again: records put twice are indexed once)`,
        );
      }
      if (attempt > 1) await sleep(backoffDelayMs(attempt - 1, {}, o.random), o.signal);
      const res = await client
        .send(
          new PutRecordsCommand({
            StreamName: batch.streamName,
            Records: left.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })),
          }),
          { abortSignal: o.signal },
        )
        .catch((err: unknown) => {
          const name = err instanceof Error ? err.name : 'UnknownError';
          if (o.signal?.aborted || FATAL.has(name)) {
            throw new OnFailureError(
              ON_FAILURE_ERROR_CODES.put,
              `PutRecords to stream ${batch.streamName} failed (${name}); expected an existing stream this identity may write to`,
              { cause: err },
            );
          }
          lastError = name;
          return undefined;
        });
      if (res) {
        left = left.filter((_, i) => res.Records?.[i]?.ErrorCode !== undefined);
        lastError = res.Records?.find((r) => r.ErrorCode)?.ErrorCode ?? lastError;
      }
    }
  }
}
