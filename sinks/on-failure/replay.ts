import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { batchRecords } from '../kinesis/pack.js';
import { putAllRecords } from '../kinesis/put-all.js';
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
  /** Left in the source: not an on-failure record, a pointer the stream no longer resolves, or the put failed. */
  kept: number;
}

/** Options of {@link replayFailedBatches}. */
export interface FailedBatchReplayOptions {
  /** A Kinesis client for the region of a batch's stream. */
  readonly kinesisFor: (region: string) => Pick<KinesisClient, 'send'>;
  readonly signal?: AbortSignal;
  /** `PutRecords` rounds for entries that keep failing, the first included (default 8). */
  readonly maxAttempts?: number;
  readonly random?: () => number;
  /** Called for each on-failure record left in the source, with why (never record content). */
  readonly onKept?: (location: string, error: OnFailureError) => void;
  readonly onProgress?: (report: Readonly<FailedBatchReplayReport>) => void;
}

/**
 * Puts the records of batches an event source mapping gave up on back on the stream they came
 * from — the raw stream's to the transform, the events stream's to the sink — with the same data
 * and partition keys, and acks each on-failure record once all its records are accepted. A record
 * holding only a pointer (SQS shape) is resolved from its stream while the stream still holds the
 * records. The stages
 * then process them like live traffic: events keep their ids, so what was already indexed comes
 * back `duplicate`. A pointer the stream can no longer resolve, an object that is not an on-failure
 * record, or a batch whose put fails is kept and reported.
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
    } else {
      try {
        // A pointer only (an SQS-shaped record): the records, while the stream still holds them.
        const records = batch.records ?? (await readPointedRecords(batch, o));
        await putAll(batch, records, o);
        await stored.ack();
        report.replayed++;
        report.records += records.length;
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

/**
 * Reads the records a pointer-only on-failure record names (`shardId`, start…end sequence numbers,
 * `batchSize`) from its stream. Throws `ON_FAILURE_RECORDS_MISSING` unless exactly those records are
 * there (the stream trims records older than its retention).
 */
async function readPointedRecords(
  batch: FailedBatch,
  o: FailedBatchReplayOptions,
): Promise<FailedKinesisRecord[]> {
  const client = o.kinesisFor(batch.region);
  const missing = (why: string) =>
    new OnFailureError(
      ON_FAILURE_ERROR_CODES.noRecords,
      `holds only a pointer into ${batch.streamName} (${batch.shardId}, ${batch.startSequenceNumber}…${batch.endSequenceNumber}) and ${why}; its records are lost unless another copy exists`,
    );
  const end = BigInt(batch.endSequenceNumber);
  let iterator: string | undefined;
  try {
    iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: batch.streamName,
          ShardId: batch.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: batch.startSequenceNumber,
        }),
        { abortSignal: o.signal },
      )
    ).ShardIterator;
  } catch (err) {
    throw missing(`the stream cannot be read there (${(err as Error).name})`);
  }
  const out: FailedKinesisRecord[] = [];
  for (let page = 0; iterator && page < 1000; page++) {
    const res = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }), {
      abortSignal: o.signal,
    });
    for (const r of res.Records ?? []) {
      if (!r.SequenceNumber || BigInt(r.SequenceNumber) > end) {
        iterator = undefined;
        break;
      }
      out.push({
        sequenceNumber: r.SequenceNumber,
        partitionKey: r.PartitionKey ?? '',
        data: Buffer.from(r.Data ?? []),
      });
    }
    if (out.at(-1)?.sequenceNumber === batch.endSequenceNumber) break;
    if ((res.Records ?? []).length === 0 && !res.MillisBehindLatest) break;
    iterator = iterator && res.NextShardIterator;
  }
  if (
    out[0]?.sequenceNumber !== batch.startSequenceNumber ||
    out.at(-1)?.sequenceNumber !== batch.endSequenceNumber
  ) {
    throw missing('the stream no longer holds them (past its retention)');
  }
  return out;
}

async function putAll(
  batch: FailedBatch,
  records: readonly FailedKinesisRecord[],
  o: FailedBatchReplayOptions,
): Promise<void> {
  const client = o.kinesisFor(batch.region);
  const sized = records.map((r) => ({ ...r, bytes: r.data.length + Buffer.byteLength(r.partitionKey) }));
  for (const request of batchRecords(sized)) {
    const failure = await putAllRecords(client, batch.streamName, request, o);
    if (failure?.kind === 'fatal') {
      throw new OnFailureError(
        ON_FAILURE_ERROR_CODES.put,
        `PutRecords to stream ${batch.streamName} failed (${failure.name}); expected an existing stream this identity may write to`,
        { cause: failure.cause },
      );
    }
    if (failure?.kind === 'exhausted') {
      throw new OnFailureError(
        ON_FAILURE_ERROR_CODES.put,
        `${failure.left} records were not accepted by stream ${batch.streamName} after ${failure.rounds} rounds (last error: ${failure.lastError}); expected PutRecords to succeed (check the stream's capacity, then replay again: records put twice are indexed once)`,
      );
    }
  }
}
