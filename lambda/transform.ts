import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { emptyStageCounters, letterId, runStage, type StageInput } from '../core/stage.js';
import type { FilterPipeline } from '../filters/pipeline.js';
import { decodeKinesisEvent } from '../ingest/aws-events.js';
import type { DecodeOptions } from '../ingest/decode.js';
import type { DeadLetterSink, EventSink } from '../sinks/contract.js';
import type { DeadLetter } from '../sinks/dead-letters/types.js';
import type { KinesisDeliveryReport } from '../sinks/kinesis/sink.js';
import type { Normalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { type BatchMetrics, type BatchReport, emptyCounts } from './metrics.js';
import { type HandlerLog, silentLog } from './ports.js';

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
   * The batch is processed in slices of at most this many bytes of log text (consecutive log
   * events, across records or within one; a larger event is a slice of its own), each
   * normalised, filtered and written before the next is built. Default
   * {@link DEFAULT_TRANSFORM_SLICE_BYTES}.
   */
  readonly sliceBytes?: number;
}

/**
 * Default {@link TransformDeps.sliceBytes}: 4 MiB of log text per slice. One record can inflate
 * to 16 MiB and a 6 MB batch to hundreds of MiB; normalised, filtered and packed, a slice holds
 * several times its text in objects, so the slice, not the batch, sets the peak (docs/lambda.md).
 */
export const DEFAULT_TRANSFORM_SLICE_BYTES = 4 * 1024 * 1024;

/** What an event costs a slice besides its message (the envelope's and the LogEvent's fields). */
const EVENT_OVERHEAD_BYTES = 256;

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
  const sliceBytes = deps.sliceBytes ?? DEFAULT_TRANSFORM_SLICE_BYTES;
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

    // The batch goes through in slices of about `sliceBytes` of log text (decode → normalise →
    // filters → PutRecords), each written before the next is built, so memory is bounded by
    // one decoded record and one slice, not by the batch (docs/lambda.md, "Memory").
    let pending: StageInput<LogEvent, number>[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      const inputs = pending;
      pending = [];
      pendingBytes = 0;
      const stage = runStage(inputs, deps.filters, counters);
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

    for (let i = 0; i < sourceRecords.length; i++) {
      const record = sourceRecords[i]!;
      const d = decodeKinesisEvent({ Records: [record] }, deps.decodeOptions)[0]!;
      states.push({ sequenceNumber: d.sequenceNumber, failed: false });
      const result = d.result;
      const id = record?.eventID ?? `record:${d.sequenceNumber}`;
      const original = { data: record?.kinesis?.data ?? '' };
      if (result.kind === 'control') {
        counts.controlMessages++;
        continue;
      }
      if (result.kind === 'error') {
        letters.push({
          record: i,
          letter: {
            id: letterId('ingest', id),
            at,
            stage: 'ingest',
            error: { code: result.error.code, message: result.error.message },
            original,
          },
        });
        continue;
      }
      // A record's log events in runs of at most `sliceBytes` of text (a record can hold 16 MiB).
      const env = result.envelope;
      let from = 0;
      let bytes = 0;
      const cut = (to: number): void => {
        const part =
          from === 0 && to === env.logEvents.length
            ? env
            : { ...env, logEvents: env.logEvents.slice(from, to) };
        pending.push({
          source: i,
          normalize: () => deps.normalizer.envelope(part),
          id: from === 0 ? id : `${id}:${from}`,
          original,
        });
        pendingBytes += bytes;
        from = to;
        bytes = 0;
      };
      for (let j = 0; j < env.logEvents.length; j++) {
        const size = env.logEvents[j]!.message.length + EVENT_OVERHEAD_BYTES;
        if (pendingBytes + bytes + size > sliceBytes) {
          if (j > from) cut(j);
          if (pending.length > 0) await flush();
        }
        bytes += size;
      }
      if (env.logEvents.length > from) cut(env.logEvents.length);
      if (pendingBytes >= sliceBytes) await flush();
    }
    if (pending.length > 0) await flush();
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
