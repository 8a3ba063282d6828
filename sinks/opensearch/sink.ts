import type { Client } from '@opensearch-project/opensearch';
import { backoffDelayMs } from '../../core/backoff.js';
import { pool, pull } from '../../core/pool.js';
import { sleep } from '../../core/sleep.js';
import type { LogEvent } from '../../transform/schema.js';
import type { DeadLetterSink, EventSink, WriteOptions } from '../contract.js';
import {
  type BulkItem,
  chunkItems,
  compileKeyNamer,
  compileStreamNamer,
  documentId,
  type EncodedEvent,
} from './body.js';
import { type BufferPool, createBufferPool } from './buffers.js';
import { type Chunker, createChunker, createEncodedChunker } from './chunker.js';
import { createOpenSearchClient } from './client.js';
import { type OpenSearchSinkConfigInput, parseSinkConfig } from './config.js';
import { OPENSEARCH_ERROR_CODES, type OpenSearchErrorCode, OpenSearchSinkError } from './errors.js';
import {
  type DeliveryFailure,
  type DeliveryReport,
  type DeliveryResult,
  deadLetter,
  report,
} from './report.js';
import { createRolloverDedup, type Targets } from './rollover.js';
import { newWriteState, type SendContext, sendChunk } from './send.js';
import { type SetupReport, setupOpenSearch } from './setup.js';

export type { DeliveryFailure, DeliveryReport, DeliveryResult } from './report.js';

/** A write's input as the sink reads it: event objects, or events already serialised. */
interface Batch extends Targets {
  /** The inputs at `indexes`, in that order. */
  pick(indexes: readonly number[]): Batch;
  /** Serialises the inputs into bulk requests (buffers from `buffers`). */
  chunker(buffers: BufferPool): Chunker;
}

/** Every one of `count` inputs `not_delivered` with the same code and message. */
function everyInput(count: number, code: OpenSearchErrorCode, message: string): DeliveryReport {
  const failures: DeliveryFailure[] = [];
  for (let index = 0; index < count; index++) failures.push({ index, code, message });
  return report(new Array<DeliveryResult>(count).fill('not_delivered'), failures, 0);
}

/** The OpenSearch sink (an {@link EventSink} whose report adds failures and healed counts). */
export interface OpenSearchSink extends EventSink<DeliveryReport> {
  /** Installs templates and the ISM policy (idempotent; also done before the first write). */
  setup(): Promise<SetupReport>;
  /** Indexes `events`; never throws for a bad event or an unavailable cluster — see the report. */
  write(events: readonly LogEvent[], o?: WriteOptions): Promise<DeliveryReport>;
  /**
   * {@link write} for events already serialised (e.g. the lines of the events stream, see
   * `encodeEvent`): each event's JSON is sent as it is, not parsed and serialised again; the
   * guarantees (retries, heals, bounding, dead letters with the event, `_id`s) are the same.
   */
  writeEncoded(events: readonly EncodedEvent[], o?: WriteOptions): Promise<DeliveryReport>;
  /** Closes the client if the sink created it. */
  close(): Promise<void>;
}

/** Options of {@link createOpenSearchSink}. */
export interface OpenSearchSinkOptions {
  /** A client (e.g. from `createOpenSearchClient`); or give `node` (and `aws`) instead. */
  client?: Client;
  node?: string;
  aws?: { region: string; service: 'es' | 'aoss' };
  /** Tunables (see `OpenSearchSinkConfigSchema`). */
  config?: OpenSearchSinkConfigInput;
  /** Shorthand for `config.index_prefix`. */
  indexPrefix?: string;
  /** Shorthand for `config.retry_budget_ms`. */
  retryBudgetMs?: number;
  /** Where documents that cannot be indexed go; without one they are handed back as not delivered. */
  deadLetters?: DeadLetterSink;
  /** Receives notices (e.g. "ISM skipped"). */
  onNotice?: (message: string) => void;
  /** For tests: the jitter source (default Math.random). */
  random?: () => number;
}

/**
 * Creates the OpenSearch sink: its own bulk loop (not the client's `helpers.bulk`, see
 * docs/opensearch.md) with per-item accounting, retries with backoff and jitter within a budget,
 * 413 splitting, in-place healing of mapping errors, and dead letters for the rest.
 */
export function createOpenSearchSink(opts: OpenSearchSinkOptions): OpenSearchSink {
  const cfg = parseSinkConfig({
    ...opts.config,
    ...(opts.indexPrefix !== undefined ? { index_prefix: opts.indexPrefix } : {}),
    ...(opts.retryBudgetMs !== undefined ? { retry_budget_ms: opts.retryBudgetMs } : {}),
  });
  const owned = opts.client === undefined;
  const client =
    opts.client ??
    (opts.node
      ? createOpenSearchClient({ node: opts.node, aws: opts.aws })
      : (() => {
          throw new TypeError('createOpenSearchSink needs `client` or `node`');
        })());
  const streamOf = compileStreamNamer(cfg.index_prefix, cfg.stream_by);
  const random = opts.random ?? Math.random;
  // One request buffer per sender plus the one being filled, kept across writes.
  const buffers = createBufferPool(cfg.concurrency + 1, cfg.max_bulk_bytes);
  let setupDone: Promise<SetupReport> | undefined;

  const runSetup = async (): Promise<SetupReport> => {
    const report = await setupOpenSearch(client, cfg);
    for (const notice of report.notices) opts.onNotice?.(notice);
    return report;
  };
  const setup = (): Promise<SetupReport> => {
    const running = runSetup();
    setupDone = running;
    running.catch(() => {
      if (setupDone === running) setupDone = undefined; // a failed setup is tried again next time
    });
    return running;
  };
  const ensureSetup = (): Promise<SetupReport> | undefined => {
    if (!cfg.setup_on_first_write) return undefined;
    return setupDone ?? setup();
  };

  const keyNamer = compileKeyNamer(cfg.index_prefix);
  const objects = (events: readonly LogEvent[]): Batch => ({
    length: events.length,
    id: (i) => documentId(events[i] as LogEvent),
    target: (i) => streamOf(events[i] as LogEvent),
    pick: (indexes) => objects(indexes.map((i) => events[i] as LogEvent)),
    chunker: (buffers) =>
      createChunker(
        events,
        streamOf,
        cfg.max_bulk_bytes,
        cfg.max_bulk_docs,
        cfg.max_attribute_term_bytes,
        buffers,
      ),
  });
  const targetOfEncoded = (e: EncodedEvent): string =>
    keyNamer(cfg.stream_by === 'service' ? e.service : e.route);
  const encoded = (events: readonly EncodedEvent[]): Batch => ({
    length: events.length,
    id: (i) => (events[i] as EncodedEvent).id,
    target: (i) => targetOfEncoded(events[i] as EncodedEvent),
    pick: (indexes) => encoded(indexes.map((i) => events[i] as EncodedEvent)),
    chunker: (buffers) =>
      createEncodedChunker(
        events,
        targetOfEncoded,
        cfg.max_bulk_bytes,
        cfg.max_bulk_docs,
        cfg.max_attribute_term_bytes,
        buffers,
      ),
  });

  async function writeAll(
    events: Batch,
    o: WriteOptions = {},
    landed?: (item: BulkItem, index: string) => void,
  ): Promise<DeliveryReport> {
    const results: DeliveryResult[] = new Array(events.length);
    const failures: DeliveryFailure[] = [];
    const settleIndex = (
      index: number,
      result: DeliveryResult,
      code?: OpenSearchErrorCode,
      message?: string,
    ): void => {
      results[index] = result;
      if (code) failures.push({ index, code, message: message ?? code });
    };
    const settle = (
      item: BulkItem,
      result: DeliveryResult,
      code?: OpenSearchErrorCode,
      message?: string,
    ): void => settleIndex(item.index, result, code, message);
    try {
      await ensureSetup();
    } catch (err) {
      return setupFailed(events, err);
    }
    const signal = o.signal;
    const deadline = Date.now() + cfg.retry_budget_ms;
    const state = newWriteState(settle, landed);
    const { letters, everHealed } = state;
    const ctx: SendContext = { client, maxHealsPerDoc: cfg.max_heals_per_doc, signal, state };
    const send = (chunk: BulkItem[], retry: BulkItem[], again: BulkItem[]): Promise<boolean> =>
      sendChunk(ctx, chunk, retry, again);
    // An item without a result yet may be sent again (retry, heal) or dead-lettered.
    const pending = (item: BulkItem): boolean => results[item.index] === undefined;

    // First attempt: each request is serialised when a sender is free, so building the next one
    // overlaps the cluster's work on the previous; later attempts re-pack what is left.
    const chunker = events.chunker(buffers);
    let queue: BulkItem[] | undefined;
    let attempt = 0;
    while (queue === undefined || queue.length > 0) {
      const retry: BulkItem[] = [];
      const again: BulkItem[] = [];
      if (queue === undefined) {
        await pull(() => {
          const chunk = chunker.next();
          if (!chunk) return undefined;
          for (const item of chunk) if (item.doc !== undefined) everHealed.add(item); // values bounded
          return async () => {
            // Answered: the body was sent whole, so its buffer can serve the next request.
            if (await send(chunk, retry, again)) chunker.recycle(chunk, pending);
          };
        }, cfg.concurrency);
      } else {
        const chunks = chunkItems(queue, cfg.max_bulk_bytes, cfg.max_bulk_docs);
        await pool(
          chunks.map((chunk) => async () => {
            await send(chunk, retry, again);
          }),
          cfg.concurrency,
        );
      }
      queue = again;
      if (retry.length === 0) continue;
      attempt++;
      const delay = backoffDelayMs(
        attempt,
        { baseDelayMs: cfg.base_delay_ms, maxDelayMs: cfg.max_delay_ms },
        random,
      );
      if (signal?.aborted || Date.now() + delay > deadline) {
        const code = signal?.aborted ? OPENSEARCH_ERROR_CODES.aborted : OPENSEARCH_ERROR_CODES.retryBudget;
        const message = signal?.aborted
          ? 'write aborted'
          : `still failing after ${attempt} attempts within the ${cfg.retry_budget_ms} ms budget (last: ${state.lastRetryReason})`;
        for (const item of retry) settle(item, 'not_delivered', code, message);
        continue;
      }
      await sleep(delay, signal).catch(() => undefined); // an abort wakes it: the next round hands back
      queue = [...again, ...retry].sort((a, b) => a.index - b.index);
    }

    if (letters.length > 0) await deadLetter(opts.deadLetters, letters, settle);
    // Safety net: an input without a fate is handed back, never silently counted as done.
    for (let i = 0; i < events.length; i++) {
      if (results[i] === undefined) {
        settleIndex(i, 'not_delivered', OPENSEARCH_ERROR_CODES.requestFailed, 'no outcome recorded');
      }
    }
    return report(results, failures, state.healed);
  }

  /** Every event `not_delivered` because setup failed with `err`. */
  function setupFailed(events: Batch, err: unknown): DeliveryReport {
    const message = `setup before the first write failed: ${(err as Error).message}`;
    const code =
      err instanceof OpenSearchSinkError && err.code === OPENSEARCH_ERROR_CODES.unauthorized
        ? OPENSEARCH_ERROR_CODES.unauthorized
        : OPENSEARCH_ERROR_CODES.setup;
    return everyInput(events.length, code, message);
  }

  const dedup = createRolloverDedup({ client, cfg, onNotice: opts.onNotice, random });

  /** Writes what is not already in an earlier backing index (see `dedup.ts`), and reports all. */
  async function write(events: Batch, o: WriteOptions = {}): Promise<DeliveryReport> {
    try {
      await ensureSetup(); // the templates first: a cluster that is not set up has nothing to check
    } catch (err) {
      return setupFailed(events, err);
    }
    const pre = await dedup.delivered(events, o.signal);
    if ('failed' in pre) {
      return everyInput(events.length, pre.failed.code, pre.failed.message);
    }
    const rest: number[] = [];
    for (let i = 0; i < events.length; i++) if (!pre.known.has(i)) rest.push(i);
    const checked = dedup.active();
    const moved: { item: BulkItem; index: string }[] = [];
    const landed = checked
      ? (item: BulkItem, index: string): void => {
          if (index !== dedup.writeIndexOf(item.target)) moved.push({ item, index });
        }
      : undefined;
    const sub = await writeAll(pre.known.size === 0 ? events : events.pick(rest), o, landed);
    const results: DeliveryResult[] =
      pre.known.size === 0 ? sub.results : new Array(events.length).fill('duplicate');
    if (pre.known.size > 0) {
      sub.results.forEach((r, k) => {
        results[rest[k] as number] = r;
      });
    }
    const at = (k: number): number => (pre.known.size === 0 ? k : (rest[k] as number));
    const failures = sub.failures.map((f) => ({ ...f, index: at(f.index) }));
    if (moved.length > 0 && checked) {
      const fixed = await dedup.repair(moved, o.signal);
      if ('value' in fixed) {
        for (const item of fixed.value) results[at(item.index)] = 'duplicate';
      } else if ('failed' in fixed) {
        opts.onNotice?.(
          `a data stream rolled over during a write and the check for earlier copies of ${moved.length} ` +
            `documents indexed in its new backing index failed (${fixed.failed.message}): some may be indexed twice.`,
        );
      }
    }
    return report(results, failures, sub.healed);
  }

  return {
    setup,
    write: (events, o) => write(objects(events), o),
    writeEncoded: (events, o) => write(encoded(events), o),
    async close() {
      if (owned) await client.close();
    },
  };
}
