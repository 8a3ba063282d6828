import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { emptyStageCounters, letterId, runStage, type StageInput } from '../core/stage.js';
import type { FilterPipeline } from '../filters/pipeline.js';
import { decodeKinesisEvent, type KinesisDecoded } from '../ingest/aws-events.js';
import type { DecodeOptions } from '../ingest/decode.js';
import type { DeadLetterSink, EventSink } from '../sinks/contract.js';
import type { DeadLetter } from '../sinks/dead-letters/types.js';
import type { KinesisDeliveryReport } from '../sinks/kinesis/sink.js';
import type { Normalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { type BatchMetrics, type BatchReport, emptyCounts } from './metrics.js';
import { type HandlerLog, silentLog } from './ports.js';
import { DEFAULT_SLICE_BYTES, inflatedSizeHint } from './slice.js';

/** What the transform handler is handed by its composition root. */
export interface TransformDeps {
  readonly normalizer: Normalizer;
  readonly filters: FilterPipeline;
  /**
   * Writes kept events to the "events" stream (`createKinesisEventSink`: it dead-letters, stage
   * `transform`, the events too large for a record).
   */
  readonly sink: EventSink<KinesisDeliveryReport>;
  /** For undecodable records (stage `ingest`) and events a filter failed (stage `filter`). */
  readonly deadLetters: DeadLetterSink;
  readonly metrics: BatchMetrics;
  readonly log?: HandlerLog;
  readonly decodeOptions?: DecodeOptions;
  readonly now?: () => Date;
  /**
   * Records are processed in slices of consecutive records of about this many inflated bytes
   * (each slice decoded, normalised, filtered and written before the next is decoded; a larger
   * record is a slice of its own). Default `DEFAULT_SLICE_BYTES` (16 MiB, `slice.ts`).
   */
  readonly sliceBytes?: number;
}

/** The transform stage as a Lambda handler: raw stream batch in, `batchItemFailures` out. */
export type TransformHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

interface RecordState {
  readonly sequenceNumber: string;
  failed: boolean;
}

interface PendingLetter {
  readonly letter: DeadLetter;
  readonly record: number;
}

/**
 * Builds the transform handler: decode each record (CloudWatch Logs payload) → normalize each
 * log event → filters → `PutRecords` of the kept events into the events stream. Undecodable
 * records are dead-lettered (stage `ingest`), filter failures too (stage `filter`, fail
 * closed), events too large for a Kinesis record (stage `transform`). Returns the lowest
 * sequence number whose events were not all delivered (forwarded, dropped by a rule or
 * dead-lettered) as the only `batchItemFailures` entry. Never throws for one bad record.
 */
export function createTransformHandler(deps: TransformDeps): TransformHandler {
  const log = deps.log ?? silentLog;
  const now = deps.now ?? (() => new Date());
  const sliceBytes = deps.sliceBytes ?? DEFAULT_SLICE_BYTES;
  return async (event) => {
    const started = performance.now();
    const counts = emptyCounts();
    const at = now().toISOString();
    const sourceRecords: KinesisStreamRecord[] = Array.isArray(event?.Records) ? event.Records : [];
    counts.received = sourceRecords.length;
    const states: RecordState[] = [];
    const letters: PendingLetter[] = [];
    const byCode: Record<string, number> = {};
    const counters = emptyStageCounters();

    // One slice of consecutive records at a time (decode → normalise → filters → PutRecords), so
    // memory is bounded by the slice, not the batch (docs/lambda.md, "Memory").
    const runSlice = async (slice: readonly { index: number; decoded: KinesisDecoded }[]): Promise<void> => {
      const stage = runStage(
        slice.flatMap(({ index: i, decoded: d }): StageInput<LogEvent, number>[] => {
          const result = d.result;
          if (result.kind === 'control') {
            counts.controlMessages++;
            return [];
          }
          if (result.kind === 'error') {
            const id = sourceRecords[i]?.eventID ?? `record:${d.sequenceNumber}`;
            letters.push({
              record: i,
              letter: {
                id: letterId('ingest', id),
                at,
                stage: 'ingest',
                error: { code: result.error.code, message: result.error.message },
                original: { data: sourceRecords[i]?.kinesis?.data ?? '' },
              },
            });
            return [];
          }
          return [
            {
              source: i,
              normalize: () => deps.normalizer.envelope(result.envelope),
              id: sourceRecords[i]?.eventID ?? `record:${d.sequenceNumber}`,
              original: { data: sourceRecords[i]?.kinesis?.data ?? '' },
            },
          ];
        }),
        deps.filters,
        counters,
      );
      for (const l of stage.letters) letters.push({ record: l.source, letter: { ...l.letter, at } });
      const kept = stage.kept.map((k) => k.event);
      const keptRecord = stage.kept.map((k) => k.source);
      const report = kept.length > 0 ? await deps.sink.write(kept) : undefined;
      if (report) {
        counts.forwarded += report.counts.indexed + report.counts.duplicate;
        counts.deadLettered += report.counts.dead_lettered;
        counts.notDelivered += report.counts.not_delivered;
        report.results.forEach((r, k) => {
          if (r === 'not_delivered') states[keptRecord[k]!]!.failed = true;
        });
        for (const [code, n] of Object.entries(report.deadLetteredByCode ?? {}))
          byCode[code] = (byCode[code] ?? 0) + n;
      }
    };

    let slice: { index: number; decoded: KinesisDecoded }[] = [];
    let sliceSize = 0;
    for (let i = 0; i < sourceRecords.length; i++) {
      const record = sourceRecords[i]!;
      const size = inflatedSizeHint(record?.kinesis?.data);
      if (slice.length > 0 && sliceSize + size > sliceBytes) {
        await runSlice(slice);
        slice = [];
        sliceSize = 0;
      }
      const decoded = decodeKinesisEvent({ Records: [record] }, deps.decodeOptions)[0]!;
      states.push({ sequenceNumber: decoded.sequenceNumber, failed: false });
      slice.push({ index: i, decoded });
      sliceSize += size;
    }
    if (slice.length > 0) await runSlice(slice);
    slice = [];
    letters.sort((a, b) => a.record - b.record); // record order, as the store and the log see them
    counts.events = counters.events;
    counts.droppedByRule = counters.dropped;
    counts.redacted = counters.redacted;

    if (letters.length > 0) {
      try {
        await deps.deadLetters.put(letters.map((l) => l.letter));
        counts.deadLettered += letters.length;
      } catch (err) {
        counts.notDelivered += letters.length;
        for (const l of letters) states[l.record]!.failed = true;
        log.error(
          { err: { name: (err as Error).name }, count: letters.length },
          'dead-letter store failed; records will be retried',
        );
      }
    }
    if (counts.deadLettered > 0) {
      for (const l of letters) byCode[l.letter.error.code] = (byCode[l.letter.error.code] ?? 0) + 1;
      log.warn({ deadLettered: counts.deadLettered, byCode }, 'events dead-lettered');
    }

    const firstFailed = states.find((s) => s.failed);
    const metricsReport: BatchReport = {
      ...counts,
      durationMs: Math.round(performance.now() - started),
      dropReasons: counters.droppedByRule,
    };
    deps.metrics.publish(metricsReport);
    return { batchItemFailures: firstFailed ? [{ itemIdentifier: firstFailed.sequenceNumber }] : [] };
  };
}
