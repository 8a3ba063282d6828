import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { letterId } from '../core/stage.js';
import type { DeadLetterSink, DeliveryReport, EventSink, WriteOptions } from '../sinks/contract.js';
import type { DeadLetter } from '../sinks/dead-letters/types.js';
import { decodeEventsRecord } from '../sinks/kinesis/codec.js';
import { type EncodedEvent, encodeEvent } from '../sinks/opensearch/body.js';
import type { LogEvent } from '../transform/schema.js';
import { type BatchMetrics, emptyCounts } from './metrics.js';
import { type HandlerLog, silentLog } from './ports.js';
import { DEFAULT_SLICE_BYTES, inflatedSizeHint } from './slice.js';

/** What the sink handler is handed by its composition root. */
export interface SinkDeps {
  /**
   * The OpenSearch sink (it dead-letters what OpenSearch rejects for good). When its report names
   * the `failures` (as the OpenSearch sink's does), their codes are logged for undelivered events.
   */
  readonly sink: EventSink<SinkReport> & {
    /**
     * When the sink has it (the OpenSearch sink does), each event's line of the events stream is
     * forwarded as its document instead of being serialised again.
     */
    writeEncoded?(events: readonly EncodedEvent[], o?: WriteOptions): Promise<SinkReport>;
  };
  /** For lines of the events stream that are not valid `LogEvent`s. */
  readonly deadLetters: DeadLetterSink;
  readonly metrics: BatchMetrics;
  readonly log?: HandlerLog;
  readonly now?: () => Date;
  /** Stop retrying this long before the Lambda deadline (default 5 s). */
  readonly deadlineMarginMs?: number;
  /**
   * Records are written in slices of consecutive records of about this many bytes of NDJSON
   * (each slice decoded and written before the next is decoded; a larger record is a slice of
   * its own). Default `DEFAULT_SLICE_BYTES` (16 MiB, `slice.ts`).
   */
  readonly sliceBytes?: number;
}

interface SliceLetter {
  readonly record: number;
  readonly letter: DeadLetter;
}

type SinkReport = DeliveryReport & {
  readonly failures?: readonly { readonly index: number; readonly code: string }[];
};

/** The sink stage as a Lambda handler. */
export type SinkHandler = (
  event: KinesisStreamEvent,
  context?: Context,
) => Promise<KinesisStreamBatchResponse>;

/**
 * Builds the sink handler: decode each events-stream record (NDJSON of `LogEvent`s) → write all
 * events with the OpenSearch sink. A line that is not a valid `LogEvent` is dead-lettered
 * (stage `ingest`) without touching its neighbours. Returns the lowest sequence number with an
 * event that is `not_delivered` (indexed, duplicate and dead-lettered all count as delivered).
 * The sink's retries stop `deadlineMarginMs` before the invocation's deadline.
 */
export function createSinkHandler(deps: SinkDeps): SinkHandler {
  const log = deps.log ?? silentLog;
  const now = deps.now ?? (() => new Date());
  const margin = deps.deadlineMarginMs ?? 5000;
  const sliceBytes = deps.sliceBytes ?? DEFAULT_SLICE_BYTES;
  return async (event, context) => {
    const started = performance.now();
    const counts = emptyCounts();
    const at = now().toISOString();
    const records = event.Records ?? [];
    counts.received = records.length;
    const failed = records.map(() => false);
    const forward = deps.sink.writeEncoded !== undefined;
    const remaining = context?.getRemainingTimeInMillis();
    const signal =
      remaining !== undefined ? AbortSignal.timeout(Math.max(1000, remaining - margin)) : undefined;

    // One slice of consecutive records at a time (decode → dead letters → bulk), so memory is
    // bounded by the slice, not the batch (docs/lambda.md, "Memory").
    const runSlice = async (
      events: LogEvent[],
      encoded: EncodedEvent[],
      eventRecord: number[],
      letters: SliceLetter[],
    ): Promise<void> => {
      if (letters.length > 0) {
        try {
          await deps.deadLetters.put(letters.map((l) => l.letter));
          counts.deadLettered += letters.length;
          log.warn({ deadLettered: letters.length }, 'invalid lines of the events stream dead-lettered');
        } catch (err) {
          counts.notDelivered += letters.length;
          for (const l of letters) failed[l.record] = true;
          log.error(
            { err: { name: (err as Error).name } },
            'dead-letter store failed; records will be retried',
          );
        }
      }
      if (eventRecord.length === 0) return;
      try {
        const o = signal ? { signal } : {};
        const report = deps.sink.writeEncoded
          ? await deps.sink.writeEncoded(encoded, o)
          : await deps.sink.write(events, o);
        counts.indexed += report.counts.indexed;
        counts.duplicates += report.counts.duplicate;
        counts.deadLettered += report.counts.dead_lettered;
        counts.notDelivered += report.counts.not_delivered;
        report.results.forEach((r, k) => {
          if (r === 'not_delivered') failed[eventRecord[k]!] = true;
        });
        if (report.counts.not_delivered > 0) {
          const byCode: Record<string, number> = {};
          for (const f of report.failures ?? []) {
            if (report.results[f.index] === 'not_delivered') byCode[f.code] = (byCode[f.code] ?? 0) + 1;
          }
          log.warn(
            { notDelivered: report.counts.not_delivered, byCode },
            'events not delivered; their records will be retried',
          );
        }
      } catch (err) {
        // The sink reports per event and should not throw; if it does, nothing is delivered.
        counts.notDelivered += eventRecord.length;
        for (const r of eventRecord) failed[r] = true;
        log.error({ err: { name: (err as Error).name } }, 'sink write failed; records will be retried');
      }
    };

    let slice: number[] = [];
    let sliceSize = 0;
    let undelivered = false;
    let written = 0;
    const flush = async (): Promise<void> => {
      const events: LogEvent[] = [];
      const encoded: EncodedEvent[] = [];
      const eventRecord: number[] = [];
      const letters: SliceLetter[] = [];
      for (const i of slice) {
        const record = records[i]!;
        const { events: decoded, lines, bad } = decodeEventsRecord(record.kinesis?.data ?? '');
        counts.events += decoded.length;
        for (const [k, e] of decoded.entries()) {
          if (forward) encoded.push(encodeEvent(e, lines[k]));
          else events.push(e);
          eventRecord.push(i);
        }
        for (const b of bad) {
          letters.push({
            record: i,
            letter: {
              id: letterId('ingest', `${record.eventID}:${b.line}`),
              at,
              stage: 'ingest',
              error: { code: b.error.code, message: b.error.message },
              original: { data: b.data },
            },
          });
        }
      }
      written = slice[slice.length - 1]! + 1;
      slice = [];
      sliceSize = 0;
      await runSlice(events, encoded, eventRecord, letters);
      undelivered = failed.includes(true);
    };
    for (let i = 0; i < records.length && !undelivered; i++) {
      const size = inflatedSizeHint(records[i]!.kinesis?.data);
      if (slice.length > 0 && sliceSize + size > sliceBytes) await flush();
      if (undelivered) break;
      slice.push(i);
      sliceSize += size;
    }
    if (slice.length > 0 && !undelivered) await flush();
    if (written < records.length) {
      // An earlier slice was not delivered, so the batch is retried from that record: writing
      // the later ones now would only spend the retry budget again.
      log.warn(
        { records: records.length - written },
        'records after an undelivered one not written; the batch is retried from it',
      );
    }

    const first = failed.indexOf(true);
    deps.metrics.publish({ ...counts, durationMs: Math.round(performance.now() - started), dropReasons: {} });
    return {
      batchItemFailures: first >= 0 ? [{ itemIdentifier: records[first]!.kinesis.sequenceNumber }] : [],
    };
  };
}
