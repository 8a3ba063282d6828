import { letterId } from '../../core/stage.js';
import type { LogEvent } from '../../transform/schema.js';
import {
  countDeliveries,
  type DeadLetterSink,
  type DeliveryReport,
  type DeliveryResult,
  type EventSink,
} from '../contract.js';
import type { DeadLetter } from '../dead-letters/types.js';
import type { KinesisEventWriter, KinesisPutReport } from './writer.js';

/** What the Kinesis sink reports: the sinks' {@link DeliveryReport} plus the writer's own report. */
export interface KinesisDeliveryReport extends DeliveryReport {
  readonly put: KinesisPutReport;
  /** Codes of the events dead-lettered (too large for a record), for the caller's log. */
  readonly deadLetteredByCode: Readonly<Record<string, number>>;
}

/** Options of {@link createKinesisEventSink}. */
export interface KinesisEventSinkOptions {
  readonly writer: KinesisEventWriter;
  /** Where events that can never be sent go (stage `transform`, id `transform:<event.id>`). */
  readonly deadLetters: DeadLetterSink;
  readonly now?: () => Date;
}

/**
 * The Kinesis "events" stream as an {@link EventSink}: `put` → `indexed`, an event the writer
 * rejected for good (larger than a record) → dead-lettered (`not_delivered` when the letter store
 * fails), an entry that failed every retry → `not_delivered`. Nothing to close: the client
 * belongs to the composition root.
 */
export function createKinesisEventSink(opts: KinesisEventSinkOptions): EventSink<KinesisDeliveryReport> {
  const now = opts.now ?? (() => new Date());
  return {
    async write(events, o) {
      const put = await opts.writer.write(events, o);
      const results: DeliveryResult[] = put.results.map((r) => (r === 'put' ? 'indexed' : 'not_delivered'));
      const letters: { index: number; letter: DeadLetter }[] = [];
      const at = now().toISOString();
      put.results.forEach((r, i) => {
        const error = put.errors[i];
        if (r !== 'rejected' || !error) return;
        const event: LogEvent = events[i]!;
        letters.push({
          index: i,
          letter: {
            id: letterId('transform', event.event.id),
            at,
            stage: 'transform',
            error: { code: error.code, message: error.message },
            original: event,
          },
        });
      });
      const deadLetteredByCode: Record<string, number> = {};
      if (letters.length > 0) {
        try {
          await opts.deadLetters.put(letters.map((l) => l.letter));
          for (const l of letters) {
            results[l.index] = 'dead_lettered';
            deadLetteredByCode[l.letter.error.code] = (deadLetteredByCode[l.letter.error.code] ?? 0) + 1;
          }
        } catch {
          // The letter store failed: the events stay `not_delivered`, for the caller to retry.
        }
      }
      return { results, counts: countDeliveries(results), put, deadLetteredByCode };
    },
    async close() {},
  };
}
