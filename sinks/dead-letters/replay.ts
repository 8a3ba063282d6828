import type { LogEvent } from '../../transform/schema.js';
import type { DeliveryReport } from '../opensearch/report.js';
import type { DeadLetterStore, StoredDeadLetter } from './types.js';

/** Counters of a replay (also its progress). */
export interface ReplayReport {
  /** Letters read from the store. */
  read: number;
  /** Re-submitted and indexed (acked). */
  indexed: number;
  /** Already in OpenSearch (acked). */
  duplicate: number;
  /** Re-submitted but still failing: left in the store. */
  kept: number;
  /** Not replayable into OpenSearch (not a sink letter): left in the store. */
  skipped: number;
}

/** The part of the OpenSearch sink a replay needs. */
export interface ReplayTarget {
  write(events: readonly LogEvent[], o?: { signal?: AbortSignal }): Promise<DeliveryReport>;
}

/** Options of {@link replayDeadLetters}. */
export interface ReplayOptions {
  /** Letters per write (default 500). */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after every batch with the running counters. */
  onProgress?: (progress: Readonly<ReplayReport>) => void;
}

/**
 * Only letters the sink wrote are replayed straight into OpenSearch: a letter of an earlier stage
 * (e.g. a redaction that failed) must go through the transform and filters again, never around them.
 */
export function isReplayable(entry: StoredDeadLetter): boolean {
  const o = entry.letter.original;
  return entry.letter.stage === 'sink' && typeof o === 'object' && o !== null && !Array.isArray(o);
}

/**
 * Re-submits the sink's dead letters to OpenSearch in batches: what is indexed (or already there)
 * is acked and leaves the store; what still fails stays. Give it a sink WITHOUT a dead-letter
 * store, so that a letter that still fails is kept rather than written again.
 */
export async function replayDeadLetters(
  store: DeadLetterStore,
  target: ReplayTarget,
  opts: ReplayOptions = {},
): Promise<ReplayReport> {
  const report: ReplayReport = { read: 0, indexed: 0, duplicate: 0, kept: 0, skipped: 0 };
  const size = opts.batchSize ?? 500;
  let batch: StoredDeadLetter[] = [];
  // Released only after reading ends, so a reader never receives them again in the same replay.
  const keep: StoredDeadLetter[] = [];

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const res = await target.write(
      current.map((e) => e.letter.original as LogEvent),
      { signal: opts.signal },
    );
    const acks: Promise<void>[] = [];
    res.results.forEach((r, i) => {
      if (r === 'indexed' || r === 'duplicate') {
        report[r]++;
        acks.push((current[i] as StoredDeadLetter).ack());
      } else {
        report.kept++;
        keep.push(current[i] as StoredDeadLetter);
      }
    });
    await Promise.all(acks);
    opts.onProgress?.(report);
  };

  for await (const entry of store.read()) {
    if (opts.signal?.aborted) break;
    report.read++;
    if (!isReplayable(entry)) {
      report.skipped++;
      keep.push(entry);
      continue;
    }
    batch.push(entry);
    if (batch.length >= size) await flush();
  }
  await flush();
  await Promise.all(keep.map((e) => e.release?.()));
  opts.onProgress?.(report);
  return report;
}
