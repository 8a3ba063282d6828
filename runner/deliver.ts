import { backoffDelayMs } from '../core/backoff.js';
import type { InvocationVerdict, RunnerRecord } from './event.js';
import type { MappingOptions } from './options.js';

/** Why records went to the on-failure destination. */
export type DestinationReason = 'retries_exhausted' | 'record_expired';

/** What {@link deliverBatch} needs from the outside world. */
export interface DeliverDeps {
  /** Invokes the handler with these records; never throws (a thrown error is an `error` verdict). */
  invoke(records: readonly RunnerRecord[]): Promise<InvocationVerdict>;
  /** Every record up to and including this sequence number is done. */
  checkpoint(sequenceNumber: string): Promise<void>;
  /** Hands records to the on-failure destination (then they count as done). */
  sendToDestination(
    records: readonly RunnerRecord[],
    info: { reason: DestinationReason; retries: number; lastError?: string },
  ): Promise<void>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  now(): number;
  random?: () => number;
  signal?: AbortSignal;
  /** Told before each backoff wait: how many retries this slice has had, the wait, and why. */
  onRetry?(info: { records: number; retries: number; delayMs: number; reason: string }): void;
}

/** Counters of one {@link deliverBatch} call. */
export interface DeliverStats {
  /** False when stopped (abort) before every record was resolved. */
  completed: boolean;
  invocations: number;
  retries: number;
  bisections: number;
  sentToDestination: number;
}

interface Slice {
  records: RunnerRecord[];
  retries: number;
}

type Options = Pick<
  MappingOptions,
  | 'bisect_batch_on_error'
  | 'maximum_retry_attempts'
  | 'maximum_record_age_s'
  | 'retry_base_delay_ms'
  | 'retry_max_delay_ms'
>;

/**
 * Delivers one batch with Lambda's event-source-mapping semantics for Kinesis:
 * - a `partial` verdict checkpoints before the lowest failed record and retries from it;
 * - an `error` verdict retries the batch; with `bisect_batch_on_error` it is split in halves
 *   first (immediately, not counted as a retry) until the failing record is alone;
 * - after `maximum_retry_attempts` retries (unless -1) the records go to the on-failure
 *   destination; records older than `maximum_record_age_s` go there unprocessed;
 * - retries wait with exponential backoff and jitter. Checkpoints only move forward, in order.
 */
export async function deliverBatch(
  batch: readonly RunnerRecord[],
  opts: Options,
  deps: DeliverDeps,
): Promise<DeliverStats> {
  const stats: DeliverStats = {
    completed: false,
    invocations: 0,
    retries: 0,
    bisections: 0,
    sentToDestination: 0,
  };
  const queue: Slice[] = batch.length > 0 ? [{ records: [...batch], retries: 0 }] : [];
  const maxAgeMs =
    opts.maximum_record_age_s < 0 ? Number.POSITIVE_INFINITY : opts.maximum_record_age_s * 1000;
  const last = (records: readonly RunnerRecord[]): string => records[records.length - 1]!.sequenceNumber;

  while (queue.length > 0) {
    if (deps.signal?.aborted) return stats;
    const slice = queue[0]!;
    const expired: RunnerRecord[] = [];
    while (slice.records.length > 0 && deps.now() - slice.records[0]!.arrivedAt > maxAgeMs) {
      expired.push(slice.records.shift()!);
    }
    if (expired.length > 0) {
      await deps.sendToDestination(expired, { reason: 'record_expired', retries: slice.retries });
      stats.sentToDestination += expired.length;
      await deps.checkpoint(last(expired));
    }
    if (slice.records.length === 0) {
      queue.shift();
      continue;
    }
    stats.invocations++;
    const verdict = await deps.invoke(slice.records);
    if (verdict.kind === 'success') {
      await deps.checkpoint(last(slice.records));
      queue.shift();
      continue;
    }
    if (verdict.kind === 'partial' && verdict.index > 0) {
      await deps.checkpoint(slice.records[verdict.index - 1]!.sequenceNumber);
      slice.records = slice.records.slice(verdict.index);
    }
    if (verdict.kind === 'error' && opts.bisect_batch_on_error && slice.records.length > 1) {
      // Splitting a batch does not count towards the retry quota (as with Lambda).
      const mid = Math.ceil(slice.records.length / 2);
      queue.splice(
        0,
        1,
        { records: slice.records.slice(0, mid), retries: 0 },
        { records: slice.records.slice(mid), retries: 0 },
      );
      stats.bisections++;
      continue;
    }
    slice.retries++;
    const exhausted = opts.maximum_retry_attempts >= 0 && slice.retries > opts.maximum_retry_attempts;
    if (exhausted) {
      const lastError = verdict.kind === 'error' ? verdict.reason : 'batchItemFailures';
      await deps.sendToDestination(slice.records, {
        reason: 'retries_exhausted',
        retries: slice.retries - 1,
        lastError,
      });
      stats.sentToDestination += slice.records.length;
      await deps.checkpoint(last(slice.records));
      queue.shift();
      continue;
    }
    stats.retries++;
    const delay = backoffDelayMs(
      slice.retries,
      { baseDelayMs: opts.retry_base_delay_ms, maxDelayMs: opts.retry_max_delay_ms },
      deps.random,
    );
    deps.onRetry?.({
      records: slice.records.length,
      retries: slice.retries,
      delayMs: delay,
      reason: verdict.kind === 'error' ? verdict.reason : 'batchItemFailures',
    });
    try {
      await deps.sleep(delay, deps.signal);
    } catch {
      return stats;
    }
  }
  stats.completed = true;
  return stats;
}
