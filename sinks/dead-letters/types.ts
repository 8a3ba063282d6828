import type { DeadLetterSink } from '../contract.js';

/** The pipeline stage at which an event could not go on. */
export const DEAD_LETTER_STAGES = ['ingest', 'transform', 'filter', 'sink'] as const;
/** One of {@link DEAD_LETTER_STAGES}. */
export type DeadLetterStage = (typeof DEAD_LETTER_STAGES)[number];

/** An event that could not be delivered, kept with its error for inspection and replay. */
export interface DeadLetter {
  /** Stable id (for sink letters: the document `_id`), so a letter written twice is recognisable. */
  readonly id: string;
  /** When it was dead-lettered (ISO 8601). */
  readonly at: string;
  readonly stage: DeadLetterStage;
  /** Stable code + a message that never holds event content. */
  readonly error: { readonly code: string; readonly message: string };
  /** A `LogEvent`, or `{ data: base64 }` for an undecodable record. */
  readonly original: unknown;
}

/** A letter read back from a store; `ack()` removes it (after a successful replay). */
export interface StoredDeadLetter {
  readonly letter: DeadLetter;
  ack(): Promise<void>;
  /** Makes a letter that stays available to other readers again now (SQS: visibility 0). */
  release?(): Promise<void>;
}

/**
 * A place dead letters are kept: a local NDJSON file, S3, or SQS. Its write half is the sinks'
 * {@link DeadLetterSink} (`put`: stores letters durably, rejects when it could not).
 */
export interface DeadLetterStore extends DeadLetterSink {
  /** Every stored letter, once. */
  read(): AsyncIterable<StoredDeadLetter>;
  /** How many letters are stored (approximate for SQS), for progress bars. */
  count?(): Promise<number>;
}

/** Options shared by the stores' readers. */
export interface ReadOptions {
  /** Called for a stored item that is not a dead letter; it is skipped and left in the store. */
  onMalformed?: (error: Error) => void;
}
