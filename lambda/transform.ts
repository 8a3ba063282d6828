import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { FilterPipeline } from '../filters/index.js';
import { type DecodeOptions, decodeKinesisEvent } from '../ingest/index.js';
import type { KinesisEventWriter } from '../sinks/kinesis/index.js';
import type { LogEvent, Normalizer } from '../transform/index.js';
import { type BatchMetrics, type BatchReport, emptyCounts } from './metrics.js';
import { type DeadLetter, type DeadLetterWriter, type HandlerLog, silentLog } from './ports.js';

/** What the transform handler is handed by its composition root. */
export interface TransformDeps {
  readonly normalizer: Normalizer;
  readonly filters: FilterPipeline;
  /** Writes kept events to the "events" stream. */
  readonly writer: KinesisEventWriter;
  readonly deadLetters: DeadLetterWriter;
  readonly metrics: BatchMetrics;
  readonly log?: HandlerLog;
  readonly decodeOptions?: DecodeOptions;
  readonly now?: () => Date;
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
  return async (event) => {
    const started = performance.now();
    const counts = emptyCounts();
    const dropReasons: Record<string, number> = {};
    const at = now().toISOString();
    const sourceRecords = event.Records ?? [];
    const decoded = decodeKinesisEvent(event, deps.decodeOptions);
    counts.received = decoded.length;
    const states: RecordState[] = decoded.map((d) => ({ sequenceNumber: d.sequenceNumber, failed: false }));
    const letters: PendingLetter[] = [];
    const kept: LogEvent[] = [];
    const keptRecord: number[] = [];

    decoded.forEach((d, i) => {
      const result = d.result;
      if (result.kind === 'control') {
        counts.controlMessages++;
        return;
      }
      if (result.kind === 'error') {
        const id = sourceRecords[i]?.eventID ?? `record:${d.sequenceNumber}`;
        letters.push({
          record: i,
          letter: {
            id: `ingest:${id}`,
            at,
            stage: 'ingest',
            error: { code: result.error.code, message: result.error.message },
            original: { data: sourceRecords[i]?.kinesis?.data ?? '' },
          },
        });
        return;
      }
      for (const logEvent of deps.normalizer.envelope(result.envelope)) {
        counts.events++;
        const outcome = deps.filters.process(logEvent);
        if (outcome.kind === 'keep') {
          if ((outcome.event.redaction?.rules.length ?? 0) > 0) counts.redacted++;
          kept.push(outcome.event);
          keptRecord.push(i);
        } else if (outcome.kind === 'drop') {
          counts.droppedByRule++;
          dropReasons[outcome.reason] = (dropReasons[outcome.reason] ?? 0) + 1;
        } else {
          letters.push({
            record: i,
            letter: {
              id: `filter:${logEvent.event.id}`,
              at,
              stage: 'filter',
              error: { code: outcome.error.code, message: outcome.error.message },
              original: logEvent,
            },
          });
        }
      }
    });

    const report = kept.length > 0 ? await deps.writer.write(kept) : undefined;
    report?.results.forEach((r, k) => {
      const record = keptRecord[k]!;
      const error = report.errors[k];
      if (r === 'put') counts.forwarded++;
      else if (r === 'rejected' && error) {
        letters.push({
          record,
          letter: {
            id: `transform:${kept[k]!.event.id}`,
            at,
            stage: 'transform',
            error: { code: error.code, message: error.message },
            original: kept[k],
          },
        });
      } else {
        counts.notDelivered++;
        states[record]!.failed = true;
      }
    });

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
      const byCode: Record<string, number> = {};
      for (const l of letters) byCode[l.letter.error.code] = (byCode[l.letter.error.code] ?? 0) + 1;
      log.warn({ deadLettered: counts.deadLettered, byCode }, 'events dead-lettered');
    }

    const firstFailed = states.find((s) => s.failed);
    const metricsReport: BatchReport = {
      ...counts,
      durationMs: Math.round(performance.now() - started),
      dropReasons,
    };
    deps.metrics.publish(metricsReport);
    return { batchItemFailures: firstFailed ? [{ itemIdentifier: firstFailed.sequenceNumber }] : [] };
  };
}
