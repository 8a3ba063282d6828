import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

/** One record as the runner holds it (from `GetRecords`). */
export interface RunnerRecord {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** Epoch milliseconds. */
  readonly arrivedAt: number;
}

/** Where records came from, for the event Lambda would build. */
export interface SourceInfo {
  readonly streamArn: string;
  readonly shardId: string;
  readonly region: string;
}

/** Builds the `KinesisStreamEvent` Lambda would pass for these records. Pure. */
export function toKinesisEvent(records: readonly RunnerRecord[], source: SourceInfo): KinesisStreamEvent {
  return {
    Records: records.map((r) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey,
        sequenceNumber: r.sequenceNumber,
        data: Buffer.from(r.data).toString('base64'),
        approximateArrivalTimestamp: r.arrivedAt / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${source.shardId}:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/sluice-local-runner',
      awsRegion: source.region,
      eventSourceARN: source.streamArn,
    })),
  };
}

/** What a handler's answer means for the batch. */
export type InvocationVerdict =
  | { readonly kind: 'success' }
  /** Records from `index` on are retried; those before it are done. */
  | { readonly kind: 'partial'; readonly index: number }
  /** The whole batch failed (thrown error or an invalid response). */
  | { readonly kind: 'error'; readonly reason: string };

/**
 * Interprets a handler's return value like Lambda does with `ReportBatchItemFailures`:
 * no failures → success; otherwise the batch is checkpointed before the lowest failed
 * sequence number; an identifier that is empty or not in the batch fails the whole batch.
 * Without `reportBatchItemFailures` the response is ignored. Pure.
 */
export function judgeResponse(
  records: readonly RunnerRecord[],
  response: unknown,
  reportBatchItemFailures: boolean,
): InvocationVerdict {
  if (!reportBatchItemFailures || response === undefined || response === null) return { kind: 'success' };
  if (typeof response !== 'object') return { kind: 'success' };
  const failures = (response as Partial<KinesisStreamBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'error', reason: 'batchItemFailures is not an array' };
  if (failures.length === 0) return { kind: 'success' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id.length === 0) {
      return { kind: 'error', reason: 'a batchItemFailures entry has no itemIdentifier' };
    }
    const index = records.findIndex((r) => r.sequenceNumber === id);
    if (index < 0) return { kind: 'error', reason: 'a batchItemFailures itemIdentifier is not in the batch' };
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', index: lowest };
}
