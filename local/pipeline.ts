import { randomUUID } from 'node:crypto';
import { emptyStageCounters, letterId, runStage } from '../core/stage.js';
import type { FilterPipeline } from '../filters/pipeline.js';
import type { CwlEnvelope } from '../ingest/envelope.js';
import type { IngestError } from '../ingest/errors.js';
import type { DeadLetterSink, DeliveryReport, EventSink } from '../sinks/contract.js';
import type { DeadLetter, DeadLetterStage } from '../sinks/dead-letters/types.js';
import type { Normalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { BoundedQueue } from './queue.js';

/** One unit a source hands the pipeline: a decoded CloudWatch envelope, or raw log lines. */
export type PipelineInput =
  | { readonly kind: 'envelope'; readonly envelope: CwlEnvelope }
  | {
      readonly kind: 'lines';
      /** Name of the source (becomes `aws.cloudwatch.log_stream`). */
      readonly source: string;
      readonly lines: readonly { readonly text: string; readonly id: string; readonly timestamp?: number }[];
    };

/** Live counters (shown by `sluice start` and served at `/api/stats`). */
export interface PipelineStats {
  /** Events accepted into the queue. */
  received: number;
  indexed: number;
  /** Already stored (same event.id): a retry, not a loss. */
  duplicate: number;
  dropped: number;
  droppedByRule: Record<string, number>;
  redacted: number;
  /** Events (or undecodable records) dead-lettered, by stage. */
  deadLettered: number;
  deadLetteredByStage: Partial<Record<DeadLetterStage, number>>;
  controlSkipped: number;
  /** Events kept but cut to the per-event budgets (size, fields) at the HTTP edge, with a marker. */
  truncated: number;
  /** Events waiting in the queue or in the sink's retry buffer. */
  queued: number;
}

/** Options of {@link createPipeline}. */
export interface PipelineOptions {
  readonly normalizer: Normalizer;
  readonly filters: FilterPipeline;
  /** The embedded store or the OpenSearch sink (`sinks/contract.ts`). */
  readonly sink: EventSink;
  readonly deadLetters: DeadLetterSink;
  /** Capacity of the in-memory queue, in events (backpressure beyond it). */
  readonly queueCapacity?: number;
  /** Largest batch written to the sink at once. */
  readonly batchSize?: number;
  /** Pause before retrying events the sink could not deliver. */
  readonly retryDelayMs?: number;
  /** Told when the sink throws (the batch is retried); for the command's own log. */
  readonly onSinkError?: (err: unknown) => void;
  /**
   * Batches handed to the sink and not yet answered, beyond which the pipeline waits (default 1:
   * each write is awaited before the next batch is processed). A sink that writes on another
   * thread (`openSqliteStoreThread`) takes 2: the next batch is normalised, filtered and handed
   * to it while the previous one is written. Batches reach the sink in order either way.
   */
  readonly writesInFlight?: number;
}

/** The running pipeline: sources `submit`, `stop` drains. */
export interface Pipeline {
  /**
   * Queues one input, waiting while the queue is full. Resolves `true` once accepted (it will be
   * indexed, dropped by a rule, or dead-lettered), `false` when the pipeline is stopping.
   */
  submit(input: PipelineInput): Promise<boolean>;
  /** Dead-letters a record that could not be decoded at the edge (stage `ingest`). */
  rejectRecord(data: string | Uint8Array, error: IngestError): Promise<void>;
  /** Counts a CloudWatch CONTROL_MESSAGE that was skipped. */
  skipControl(): void;
  /** Counts events that a source kept but truncated (size or field budget). */
  countTruncated(n: number): void;
  stats(): PipelineStats;
  /** Refuses new input, processes everything accepted, retries the sink, then closes it. */
  stop(): Promise<void>;
}

/**
 * Events normalised and filtered between two turns of the event loop: a batch of 1,000 is about
 * 40 ms of CPU, which the HTTP server would otherwise wait for.
 */
const STAGE_SLICE_EVENTS = 100;

const weightOf = (input: PipelineInput): number =>
  Math.max(1, input.kind === 'envelope' ? input.envelope.logEvents.length : input.lines.length);

/** Wires normalise → filters → sink behind a bounded queue and starts the consumer loop. */
export function createPipeline(opts: PipelineOptions): Pipeline {
  const queue = new BoundedQueue<PipelineInput>(opts.queueCapacity ?? 20_000);
  const batchSize = opts.batchSize ?? 1000;
  const retryDelayMs = opts.retryDelayMs ?? 1000;
  const counters = emptyStageCounters();
  const stats: Omit<PipelineStats, 'dropped' | 'droppedByRule' | 'redacted'> = {
    received: 0,
    indexed: 0,
    duplicate: 0,
    deadLettered: 0,
    deadLetteredByStage: {},
    controlSkipped: 0,
    truncated: 0,
    queued: 0,
  };
  let pendingRetry: LogEvent[] = [];
  let stopping = false;
  const writesInFlight = Math.max(1, opts.writesInFlight ?? 1);
  /** Batches processed and not yet answered by the sink, oldest first, with their event counts. */
  const inFlight: { done: Promise<unknown>; events: number }[] = [];

  /** Stores letters, then counts them by stage; rejects (and counts nothing) when the store fails. */
  async function deadLetter(letters: readonly Omit<DeadLetter, 'at'>[]): Promise<void> {
    if (letters.length === 0) return;
    const at = new Date().toISOString();
    await opts.deadLetters.put(letters.map((l) => ({ ...l, at })));
    for (const l of letters) {
      stats.deadLettered += 1;
      stats.deadLetteredByStage[l.stage] = (stats.deadLetteredByStage[l.stage] ?? 0) + 1;
    }
  }

  function normalize(input: PipelineInput): LogEvent[] {
    if (input.kind === 'envelope') return opts.normalizer.envelope(input.envelope);
    return input.lines.flatMap((l) =>
      opts.normalizer.lines(l.text, {
        logGroup: '',
        logStream: input.source,
        id: l.id,
        timestamp: l.timestamp,
      }),
    );
  }

  /**
   * Normalises and filters `inputs`, about {@link STAGE_SLICE_EVENTS} events at a time with a turn
   * of the event loop between two slices (the HTTP server answers meanwhile); returns the batch's
   * kept events and letters.
   */
  async function prepare(inputs: readonly PipelineInput[]): Promise<{
    kept: LogEvent[];
    letters: Omit<DeadLetter, 'at'>[];
  }> {
    const kept: LogEvent[] = [];
    const letters: Omit<DeadLetter, 'at'>[] = [];
    for (let start = 0; start < inputs.length; ) {
      let end = start;
      for (let w = 0; end < inputs.length && (end === start || w < STAGE_SLICE_EVENTS); end++)
        w += weightOf(inputs[end] as PipelineInput);
      const result = runStage(
        inputs.slice(start, end).map((input) => ({
          source: input,
          normalize: () => normalize(input),
          id: randomUUID(),
          original: input,
        })),
        opts.filters,
        counters,
      );
      for (const k of result.kept) kept.push(k.event);
      for (const l of result.letters) letters.push(l.letter);
      start = end;
      if (start < inputs.length) await new Promise((resolve) => setImmediate(resolve));
    }
    return { kept, letters };
  }

  /** Hands a prepared batch to the sink (batches reach it in the order they were prepared) and its letters to the dead-letter store. */
  function deliver(kept: readonly LogEvent[], letters: readonly Omit<DeadLetter, 'at'>[]): Promise<unknown> {
    const written = write(kept);
    const lettered = (async () => {
      await deadLetter(letters.filter((l) => l.stage === 'transform'));
      await deadLetter(letters.filter((l) => l.stage === 'filter'));
    })();
    return Promise.all([written, lettered]);
  }

  /** Waits until fewer than `max` batches are in flight. */
  async function settle(max: number): Promise<void> {
    while (inFlight.length >= Math.max(1, max)) await inFlight[0]?.done;
  }

  async function write(events: readonly LogEvent[]): Promise<void> {
    if (events.length === 0) return;
    let report: DeliveryReport;
    try {
      report = await opts.sink.write(events);
    } catch (err) {
      // The store itself failed (disk full, closed…): keep the whole batch for the retry path.
      opts.onSinkError?.(err);
      pendingRetry.push(...events);
      return;
    }
    report.results.forEach((r, i) => {
      if (r === 'indexed') stats.indexed += 1;
      else if (r === 'duplicate') stats.duplicate += 1;
      else if (r === 'dead_lettered') {
        stats.deadLettered += 1;
        stats.deadLetteredByStage.sink = (stats.deadLetteredByStage.sink ?? 0) + 1;
      } else pendingRetry.push(events[i]!);
    });
  }

  async function loop(): Promise<void> {
    let lastRetry = 0;
    for (;;) {
      const inputs = await queue.take(batchSize, 200);
      if (inputs.length > 0) {
        const entry: (typeof inFlight)[number] = { done: Promise.resolve(), events: 0 };
        entry.events = inputs.reduce((n, i) => n + weightOf(i), 0);
        inFlight.push(entry); // counted as queued while it is prepared
        const { kept, letters } = await prepare(inputs);
        entry.done = deliver(kept, letters).finally(() => {
          inFlight.splice(inFlight.indexOf(entry), 1);
        });
        // A failure (the dead-letter store) ends the loop when it reaches this batch in `settle`.
        entry.done.catch(() => undefined);
        await settle(writesInFlight);
        // Let the HTTP server (UI, API, ingest) answer between two batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Nothing new, or retries due: the batches in flight are answered first.
      if (inputs.length === 0) await settle(1);
      if (pendingRetry.length > 0 && (stopping || Date.now() - lastRetry >= retryDelayMs)) {
        await settle(1);
        lastRetry = Date.now();
        const retry = pendingRetry;
        pendingRetry = [];
        await write(retry);
        if (stopping && pendingRetry.length > 0) {
          // The sink is still unreachable at stop: keep the events as dead letters rather than lose them.
          const rest = pendingRetry;
          pendingRetry = [];
          await deadLetter(
            rest.map((e) => ({
              id: e.event.id,
              stage: 'sink',
              error: {
                code: 'SINK_NOT_DELIVERED_AT_STOP',
                message:
                  'the sink could not take the event before sluice start stopped; replay it from the dead letters',
              },
              original: e,
            })),
          );
        }
      }
      if (inputs.length === 0 && queue.closed && queue.size === 0 && pendingRetry.length === 0) return;
    }
  }
  const running = loop();

  return {
    async submit(input) {
      if (stopping) return false;
      const weight = weightOf(input);
      const ok = await queue.push(input, weight);
      if (ok)
        stats.received += input.kind === 'envelope' ? input.envelope.logEvents.length : input.lines.length;
      return ok;
    },
    async rejectRecord(data, error) {
      const b64 = typeof data === 'string' ? data : Buffer.from(data).toString('base64');
      await deadLetter([
        {
          id: letterId('ingest', randomUUID()),
          stage: 'ingest',
          error: { code: error.code, message: error.message },
          original: { data: b64 },
        },
      ]);
    },
    skipControl() {
      stats.controlSkipped += 1;
    },
    countTruncated(n) {
      stats.truncated += n;
    },
    stats() {
      return {
        ...stats,
        dropped: counters.dropped,
        droppedByRule: { ...counters.droppedByRule },
        redacted: counters.redacted,
        deadLetteredByStage: { ...stats.deadLetteredByStage },
        queued: queue.size + inFlight.reduce((n, b) => n + b.events, 0) + pendingRetry.length,
      };
    },
    async stop() {
      stopping = true;
      queue.close();
      await running;
      await opts.sink.close();
    },
  };
}
