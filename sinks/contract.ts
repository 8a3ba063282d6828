import type { LogEvent } from '../transform/schema.js';
import type { DeadLetter } from './dead-letters/types.js';

/**
 * The one contract every sink implements (OpenSearch, the embedded SQLite store, the Kinesis
 * "events" stream) and every caller relies on (the Lambda handlers, `sluice start`'s pipeline,
 * `sluice run`). How to add a sink: CONTRIBUTING.md, "Add a sink".
 */

/**
 * Where one event ended up.
 * - `indexed`: stored by the sink (indexed in OpenSearch or SQLite, put on the Kinesis stream).
 * - `duplicate`: already stored by an earlier try (same `event.id`): a retry, not a loss.
 * - `dead_lettered`: can never be stored as it is; the sink wrote it to its dead-letter store.
 * - `not_delivered`: not stored *yet* (back-pressure, an outage, a dead-letter store that failed):
 *   the caller must hand it back (Kinesis `batchItemFailures`, the local pipeline's retry queue).
 */
export type DeliveryResult = 'indexed' | 'duplicate' | 'dead_lettered' | 'not_delivered';

/** Every {@link DeliveryResult}. */
export const DELIVERY_RESULTS: readonly DeliveryResult[] = [
  'indexed',
  'duplicate',
  'dead_lettered',
  'not_delivered',
];

/** The accounting of one `write`: `results[i]` is the fate of `events[i]`; `counts` sums them. */
export interface DeliveryReport {
  readonly results: readonly DeliveryResult[];
  readonly counts: Readonly<Record<DeliveryResult, number>>;
}

/** Zeroed {@link DeliveryReport} counts. */
const emptyDeliveryCounts = (): Record<DeliveryResult, number> => ({
  indexed: 0,
  duplicate: 0,
  dead_lettered: 0,
  not_delivered: 0,
});

/** Sums `results` into counts. */
export function countDeliveries(results: readonly DeliveryResult[]): Record<DeliveryResult, number> {
  const counts = emptyDeliveryCounts();
  for (const r of results) counts[r]++;
  return counts;
}

/** Options of one {@link EventSink.write}. */
export interface WriteOptions {
  /** Stop retrying when it aborts; what is not stored by then is `not_delivered`. */
  readonly signal?: AbortSignal;
}

/**
 * A sink: takes a batch of `LogEvent`s and reports the fate of each. A bad event never fails its
 * neighbours: it is `dead_lettered` (to the sink's {@link DeadLetterSink}) or `not_delivered`.
 * `write` rejects only when the sink itself cannot be used (closed); the caller then keeps the
 * whole batch for a retry.
 */
export interface EventSink<R extends DeliveryReport = DeliveryReport> {
  write(events: readonly LogEvent[], options?: WriteOptions): Promise<R>;
  /** Releases what the sink holds (clients, files). Idempotent. */
  close(): Promise<void>;
}

/**
 * The write half of a dead-letter store (file, S3, SQS): what sinks and stages hand their
 * letters to. `put` is all-or-nothing: it resolves once every letter is stored durably and
 * rejects otherwise (the caller then reports those events `not_delivered` and retries them).
 */
export interface DeadLetterSink {
  put(letters: readonly DeadLetter[]): Promise<void>;
}
