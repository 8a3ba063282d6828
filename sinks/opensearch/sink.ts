import type { Client } from '@opensearch-project/opensearch';
import { backoffDelayMs } from '../../core/backoff.js';
import { pool, pull } from '../../core/pool.js';
import { sleep } from '../../core/sleep.js';
import type { LogEvent } from '../../transform/schema.js';
import type { DeadLetterSink, EventSink, WriteOptions } from '../contract.js';
import { type BulkItem, chunkItems, compileStreamNamer, documentId } from './body.js';
import { createChunker } from './chunker.js';
import { classifyRequestError } from './classify.js';
import { createOpenSearchClient } from './client.js';
import { type OpenSearchSinkConfigInput, parseSinkConfig } from './config.js';
import { findInEarlierIndices, rolledOver } from './dedup.js';
import { OPENSEARCH_ERROR_CODES, type OpenSearchErrorCode, OpenSearchSinkError } from './errors.js';
import {
  type DeliveryFailure,
  type DeliveryReport,
  type DeliveryResult,
  deadLetter,
  report,
} from './report.js';
import { newWriteState, type SendContext, sendChunk } from './send.js';
import { type SetupReport, setupOpenSearch } from './setup.js';

export type { DeliveryFailure, DeliveryReport, DeliveryResult } from './report.js';

/** The OpenSearch sink (an {@link EventSink} whose report adds failures and healed counts). */
export interface OpenSearchSink extends EventSink<DeliveryReport> {
  /** Installs templates and the ISM policy (idempotent; also done before the first write). */
  setup(): Promise<SetupReport>;
  /** Indexes `events`; never throws for a bad event or an unavailable cluster — see the report. */
  write(events: readonly LogEvent[], o?: WriteOptions): Promise<DeliveryReport>;
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

  async function writeAll(events: readonly LogEvent[], o: WriteOptions = {}): Promise<DeliveryReport> {
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
    const state = newWriteState(settle);
    const { letters, everHealed } = state;
    const ctx: SendContext = { client, maxHealsPerDoc: cfg.max_heals_per_doc, signal, state };
    const send = (chunk: BulkItem[], retry: BulkItem[], again: BulkItem[]): Promise<void> =>
      sendChunk(ctx, chunk, retry, again);

    // First attempt: each request is serialised when a sender is free, so building the next one
    // overlaps the cluster's work on the previous; later attempts re-pack what is left.
    const chunker = createChunker(
      events,
      streamOf,
      cfg.max_bulk_bytes,
      cfg.max_bulk_docs,
      cfg.max_attribute_term_bytes,
    );
    let queue: BulkItem[] | undefined;
    let attempt = 0;
    while (queue === undefined || queue.length > 0) {
      const retry: BulkItem[] = [];
      const again: BulkItem[] = [];
      if (queue === undefined) {
        await pull(() => {
          const chunk = chunker.next();
          if (!chunk) return undefined;
          for (const item of chunk) if (item.doc !== item.event) everHealed.add(item); // values bounded
          return () => send(chunk, retry, again);
        }, cfg.concurrency);
      } else {
        const chunks = chunkItems(queue, cfg.max_bulk_bytes, cfg.max_bulk_docs);
        await pool(
          chunks.map((chunk) => () => send(chunk, retry, again)),
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
  function setupFailed(events: readonly LogEvent[], err: unknown): DeliveryReport {
    const message = `setup before the first write failed: ${(err as Error).message}`;
    const code =
      err instanceof OpenSearchSinkError && err.code === OPENSEARCH_ERROR_CODES.unauthorized
        ? OPENSEARCH_ERROR_CODES.unauthorized
        : OPENSEARCH_ERROR_CODES.setup;
    return report(
      events.map(() => 'not_delivered'),
      events.map((_, index) => ({ index, code, message })),
      0,
    );
  }

  let dedupSkipped = false;
  /**
   * Which inputs are already in an earlier backing index of their (rolled-over) stream. Retries
   * like a bulk request within the budget; a refusal (e.g. 403: no read access) turns the check off
   * with a notice; `failed` when the cluster did not answer within the budget or the write was aborted.
   */
  async function delivered(
    events: readonly LogEvent[],
    signal?: AbortSignal,
  ): Promise<{ known: Set<number> } | { failed: { code: OpenSearchErrorCode; message: string } }> {
    const known = new Set<number>();
    if (!cfg.dedup_across_rollover || dedupSkipped || events.length === 0) return { known };
    const targets = events.map((e) => streamOf(e));
    const deadline = Date.now() + cfg.retry_budget_ms;
    for (let attempt = 1; ; attempt++) {
      try {
        const rolled = await rolledOver(client, cfg.index_prefix, new Set(targets));
        for (const [stream, info] of rolled) {
          const positions = new Map<string, number[]>();
          targets.forEach((t, i) => {
            if (t !== stream) return;
            const id = documentId(events[i] as LogEvent);
            positions.set(id, [...(positions.get(id) ?? []), i]);
          });
          for (const id of await findInEarlierIndices(client, stream, info, [...positions.keys()])) {
            for (const i of positions.get(id) ?? []) known.add(i);
          }
        }
        return { known };
      } catch (err) {
        const verdict = classifyRequestError(err);
        // A refusal (400, or 401/403: no read access to earlier indices) is not retried.
        if (verdict.kind === 'fatal' || verdict.kind === 'split' || verdict.kind === 'unauthorized') {
          dedupSkipped = true;
          opts.onNotice?.(
            `dedup across rollover is off: the duplicate check was refused (${verdict.reason}); ` +
              'a re-delivered event is a duplicate only within the current backing index.',
          );
          return { known };
        }
        const delay = backoffDelayMs(
          attempt,
          { baseDelayMs: cfg.base_delay_ms, maxDelayMs: cfg.max_delay_ms },
          random,
        );
        if (verdict.kind === 'aborted' || signal?.aborted) {
          return { failed: { code: OPENSEARCH_ERROR_CODES.aborted, message: 'write aborted' } };
        }
        if (Date.now() + delay > deadline) {
          const message = `the duplicate check before the write still failed after ${attempt} attempts within the ${cfg.retry_budget_ms} ms budget (last: ${verdict.reason})`;
          return { failed: { code: OPENSEARCH_ERROR_CODES.retryBudget, message } };
        }
        await sleep(delay, signal).catch(() => undefined); // an abort wakes it: the next try reports it
      }
    }
  }

  /** Writes what is not already in an earlier backing index (see `dedup.ts`), and reports all. */
  async function write(events: readonly LogEvent[], o: WriteOptions = {}): Promise<DeliveryReport> {
    try {
      await ensureSetup(); // the templates first: a cluster that is not set up has nothing to check
    } catch (err) {
      return setupFailed(events, err);
    }
    const pre = await delivered(events, o.signal);
    if ('failed' in pre) {
      const { code, message } = pre.failed;
      const failures = events.map((_, index) => ({ index, code, message }));
      return report(
        events.map(() => 'not_delivered'),
        failures,
        0,
      );
    }
    if (pre.known.size === 0) return writeAll(events, o);
    const rest: number[] = [];
    events.forEach((_, i) => {
      if (!pre.known.has(i)) rest.push(i);
    });
    const sub = await writeAll(
      rest.map((i) => events[i] as LogEvent),
      o,
    );
    const results: DeliveryResult[] = events.map(() => 'duplicate');
    sub.results.forEach((r, k) => {
      results[rest[k] as number] = r;
    });
    const failures = sub.failures.map((f) => ({ ...f, index: rest[f.index] as number }));
    return report(results, failures, sub.healed);
  }

  return {
    setup,
    write,
    async close() {
      if (owned) await client.close();
    },
  };
}
