import { describeValue } from './errors.js';
import type { Outcome } from './outcome.js';

/**
 * The stage every entry point runs between decoding and delivery: normalise → filter →
 * keep / drop / fail → count → dead letters. The Lambda transform handler, the local pipeline
 * (`sluice start`) and `sluice process` all call {@link runStage}; they differ only in where
 * the kept events and the letters go.
 */

/** The one error code of a normaliser that threw (it should not: the stage still isolates it). */
export const STAGE_ERROR_CODES = { transformFailed: 'TRANSFORM_FAILED' } as const;

/** The part of an event the stage reads: its id and whether a redaction rule changed it. */
export interface StageEvent {
  readonly event: { readonly id: string };
  readonly redaction?: { readonly rules: readonly unknown[] } | undefined;
}

/** The compiled filter rules as the stage uses them (`FilterPipeline` fits). */
export interface StageFilter<T> {
  process(event: T): Outcome<T>;
}

/** What the stage counted (one type for the Lambda metrics, `/api/stats` and the `process` summary). */
export interface StageCounters {
  /** Events the normaliser produced (each one ends kept, dropped or dead-lettered). */
  events: number;
  /** Events the filters kept (handed on to the sink or the output). */
  kept: number;
  /** Kept events a redaction rule changed (not an end state). */
  redacted: number;
  /** Events dropped by a rule (by rule name in `droppedByRule`). */
  dropped: number;
  droppedByRule: Record<string, number>;
  /** Events (or inputs whose normaliser threw) turned into letters, by stage in `failedByStage`. */
  failed: number;
  failedByStage: { transform: number; filter: number };
}

/** Zeroed {@link StageCounters}. */
export const emptyStageCounters = (): StageCounters => ({
  events: 0,
  kept: 0,
  redacted: 0,
  dropped: 0,
  droppedByRule: {},
  failed: 0,
  failedByStage: { transform: 0, filter: 0 },
});

/** Stages that write dead letters (same names as `sinks/dead-letters` `DEAD_LETTER_STAGES`). */
export type LetterStage = 'ingest' | 'transform' | 'filter' | 'sink';

/**
 * The one dead-letter id scheme: `<stage>:<id of what failed>` — the event id for events, the
 * record id for undecodable records. Sink letters keep the bare document `_id` the sink indexes
 * by (`sinks/dead-letters` `DeadLetter.id`), so a replayed letter lands on the same document.
 */
export function letterId(stage: Exclude<LetterStage, 'sink'>, id: string): string {
  return `${stage}:${id}`;
}

/** A dead letter the stage made (the caller adds `at` and stores it). */
export interface StageLetter {
  readonly id: string;
  readonly stage: 'transform' | 'filter';
  readonly error: { readonly code: string; readonly message: string };
  /** The event that failed a rule, or the input whose normaliser threw. */
  readonly original: unknown;
}

/** One input of the stage: how to normalise it, and what to dead-letter if that throws. */
export interface StageInput<T, S> {
  /** Carried through to the kept events and letters (a record index, a line number…). */
  readonly source: S;
  normalize(): Iterable<T>;
  /** Id of the input for a `transform` letter when `normalize` throws. */
  readonly id: string;
  /** Stored as the letter's original when `normalize` throws. */
  readonly original: unknown;
}

/** What one run of the stage produced, in input order. */
export interface StageResult<T, S> {
  readonly kept: { readonly event: T; readonly source: S }[];
  readonly letters: { readonly letter: StageLetter; readonly source: S }[];
}

/**
 * Runs inputs through normalise → filters. Kept events and letters come back with their
 * input's `source`; every event is counted once in `counters` (kept, dropped by rule, or
 * failed). A filter that fails, or a normaliser that throws, fails closed: the event (input)
 * becomes a letter and is never kept. Without `filter` every event is kept.
 */
export function runStage<T extends StageEvent, S>(
  inputs: Iterable<StageInput<T, S>>,
  filter: StageFilter<T> | undefined,
  counters: StageCounters,
): StageResult<T, S> {
  const result: StageResult<T, S> = { kept: [], letters: [] };
  const letter = (l: StageLetter, source: S): void => {
    result.letters.push({ letter: l, source });
    counters.failed++;
    counters.failedByStage[l.stage]++;
  };
  for (const input of inputs) {
    let events: Iterable<T>;
    try {
      events = [...input.normalize()];
    } catch (err) {
      letter(
        {
          id: letterId('transform', input.id),
          stage: 'transform',
          error: { code: STAGE_ERROR_CODES.transformFailed, message: describeValue(err) },
          original: input.original,
        },
        input.source,
      );
      continue;
    }
    for (const event of events) {
      counters.events++;
      const outcome: Outcome<T> = filter ? filter.process(event) : { kind: 'keep', event };
      if (outcome.kind === 'keep') {
        counters.kept++;
        if ((outcome.event.redaction?.rules.length ?? 0) > 0) counters.redacted++;
        result.kept.push({ event: outcome.event, source: input.source });
      } else if (outcome.kind === 'drop') {
        counters.dropped++;
        counters.droppedByRule[outcome.reason] = (counters.droppedByRule[outcome.reason] ?? 0) + 1;
      } else {
        letter(
          {
            id: letterId('filter', event.event.id),
            stage: 'filter',
            error: { code: outcome.error.code, message: outcome.error.message },
            original: event,
          },
          input.source,
        );
      }
    }
  }
  return result;
}
