import type { PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { type BackoffOptions, backoffDelayMs } from '../../core/backoff.js';
import { sleep } from '../../core/sleep.js';
import type { LogEvent } from '../../transform/schema.js';
import { KINESIS_ERROR_CODES, KinesisSinkError } from './errors.js';
import { type BatchOptions, batchRecords, type PackedRecord, type PackOptions, packEvents } from './pack.js';

/** The one call the writer makes; a `KinesisClient` fits (tests may wrap one to inject faults). */
export interface PutRecordsClient {
  send(command: PutRecordsCommand, options?: { abortSignal?: AbortSignal }): Promise<PutRecordsCommandOutput>;
}

/** Fate of one input event. */
export type KinesisPutResult = 'put' | 'rejected' | 'not_delivered';

/**
 * Per-event report, aligned with the input. `rejected` events can never be sent (too large:
 * dead-letter them); `not_delivered` ones failed every retry (retry the batch later).
 */
export interface KinesisPutReport {
  readonly results: KinesisPutResult[];
  /** The error of each event that was not `put`, at the same position. */
  readonly errors: (KinesisSinkError | undefined)[];
  readonly counts: Record<KinesisPutResult, number>;
  /** Kinesis records built, `PutRecords` calls made, retry rounds used. */
  readonly stats: { records: number; requests: number; attempts: number };
}

/** Options of {@link createKinesisEventWriter}. */
export interface KinesisEventWriterOptions extends PackOptions, BatchOptions, BackoffOptions {
  readonly client: PutRecordsClient;
  /** Stream name (or use `streamArn`). */
  readonly streamName?: string;
  readonly streamArn?: string;
  /** Rounds of `PutRecords` for entries that keep failing, first included (default 5). */
  readonly maxAttempts?: number;
  /** Random source for the jitter (tests pass a seeded one). */
  readonly random?: () => number;
}

/** Writes `LogEvent`s to a Kinesis stream as packed NDJSON records. */
export interface KinesisEventWriter {
  write(events: readonly LogEvent[], opts?: { signal?: AbortSignal }): Promise<KinesisPutReport>;
}

function errorName(err: unknown): string {
  if (err && typeof err === 'object' && 'name' in err && typeof err.name === 'string') return err.name;
  return 'UnknownError';
}

/**
 * Creates a writer that packs events ({@link packEvents}), sends them with `PutRecords`
 * ({@link batchRecords}), retries failed entries (`FailedRecordCount` / per-record `ErrorCode`,
 * or a whole call that throws) with exponential backoff and full jitter, and reports the fate
 * of every input event.
 */
export function createKinesisEventWriter(opts: KinesisEventWriterOptions): KinesisEventWriter {
  if (!opts.streamName && !opts.streamArn) {
    throw new KinesisSinkError(
      KINESIS_ERROR_CODES.config,
      'received neither streamName nor streamArn; expected one of them',
    );
  }
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const random = opts.random ?? Math.random;

  return {
    async write(events, { signal } = {}) {
      const results: KinesisPutResult[] = events.map(() => 'not_delivered');
      const errors: (KinesisSinkError | undefined)[] = events.map(() => undefined);
      const packed = packEvents(events, opts);
      const max = opts.maxRecordBytes ?? 1024 * 1024;
      for (const index of packed.tooLarge) {
        results[index] = 'rejected';
        errors[index] = new KinesisSinkError(
          KINESIS_ERROR_CODES.eventTooLarge,
          `received an event whose JSON plus partition key exceeds ${max} bytes; expected at most ${max} bytes per Kinesis record`,
        );
      }
      let pending: PackedRecord[] = [...packed.records];
      const lastError = new Map<PackedRecord, string>();
      let attempts = 0;
      let requests = 0;
      while (pending.length > 0 && attempts < maxAttempts && !signal?.aborted) {
        if (attempts > 0) {
          try {
            await sleep(backoffDelayMs(attempts, opts, random), signal);
          } catch {
            break;
          }
        }
        attempts++;
        const failed: PackedRecord[] = [];
        for (const batch of batchRecords(pending, opts)) {
          requests++;
          let out: PutRecordsCommandOutput;
          try {
            out = await opts.client.send(
              new PutRecordsCommand({
                StreamName: opts.streamName,
                StreamARN: opts.streamArn,
                Records: batch.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })),
              }),
              { abortSignal: signal },
            );
          } catch (err) {
            for (const rec of batch) lastError.set(rec, errorName(err));
            failed.push(...batch);
            continue;
          }
          batch.forEach((rec, i) => {
            const entry = out.Records?.[i];
            if (entry && !entry.ErrorCode && entry.SequenceNumber) {
              for (const index of rec.indexes) results[index] = 'put';
            } else {
              lastError.set(rec, entry?.ErrorCode ?? 'MissingResultEntry');
              failed.push(rec);
            }
          });
        }
        pending = failed;
      }
      for (const rec of pending) {
        const code = lastError.get(rec) ?? (signal?.aborted ? 'Aborted' : 'NotAttempted');
        for (const index of rec.indexes) {
          errors[index] = new KinesisSinkError(
            KINESIS_ERROR_CODES.putFailed,
            `PutRecords entry failed after ${attempts} attempt(s), last error ${code}; expected the entry to be accepted`,
          );
        }
      }
      const counts: Record<KinesisPutResult, number> = { put: 0, rejected: 0, not_delivered: 0 };
      for (const r of results) counts[r]++;
      return { results, errors, counts, stats: { records: packed.records.length, requests, attempts } };
    },
  };
}
