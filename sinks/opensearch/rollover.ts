import type { Client } from '@opensearch-project/opensearch';
import { backoffDelayMs } from '../../core/backoff.js';
import { sleep } from '../../core/sleep.js';
import type { BulkItem } from './body.js';
import { type BulkResponseItem, classifyRequestError } from './classify.js';
import type { OpenSearchSinkConfig } from './config.js';
import { dataStreams, earlierThan, findInEarlierIndices } from './dedup.js';
import { OPENSEARCH_ERROR_CODES, type OpenSearchErrorCode } from './errors.js';

/**
 * The sink's state and steps of `_id` dedup across data-stream rollover (the lookups themselves are
 * in `dedup.ts`): the streams' backing indices kept across writes, the check before a write
 * (`delivered`), and the repair after one that saw a rollover in the bulk answer (`repair`).
 */

/** A write's inputs as the duplicate check reads them. */
export interface Targets {
  readonly length: number;
  /** The `_id` of input `i`. */
  id(i: number): string;
  /** The data stream of input `i`. */
  target(i: number): string;
}

export type Checked<T> =
  | { value: T }
  | { failed: { code: OpenSearchErrorCode; message: string } }
  | { refused: true };

/** The dedup state of one sink (see {@link createRolloverDedup}). */
export interface RolloverDedup {
  /** Whether the check runs: `dedup_across_rollover` is on and no check was refused. */
  active(): boolean;
  /** The known write index of `stream`, if its backing indices are known. */
  writeIndexOf(stream: string): string | undefined;
  /**
   * Which inputs are already in an earlier backing index of their (rolled-over) stream, before the
   * write. `failed` when the cluster did not answer within the budget or the write was aborted.
   */
  delivered(
    events: Targets,
    signal?: AbortSignal,
  ): Promise<{ known: Set<number> } | { failed: { code: OpenSearchErrorCode; message: string } }>;
  /**
   * After a write in which documents were created in another backing index than the known write
   * index of their stream (it rolled over since the last look): reads the streams again and looks
   * those documents up in the backing indices before the one they went to; a copy found there
   * makes the new one a duplicate, which is deleted again. Returns the duplicates, or the reason
   * the check could not be completed.
   */
  repair(
    moved: readonly { item: BulkItem; index: string }[],
    signal?: AbortSignal,
  ): Promise<Checked<BulkItem[]>>;
}

/** Options of {@link createRolloverDedup}: the sink's client, parsed config, notices and jitter. */
export interface RolloverDedupOptions {
  readonly client: Client;
  readonly cfg: OpenSearchSinkConfig;
  readonly onNotice?: (message: string) => void;
  readonly random: () => number;
}

/** The rollover dedup of one sink, its state kept across writes. */
export function createRolloverDedup(opts: RolloverDedupOptions): RolloverDedup {
  const { client, cfg, random } = opts;
  let dedupSkipped = false;
  // The backing indices of each stream under the prefix (write index last) as the last
  // `GET _data_stream` answered them, kept across writes: a write whose streams are all known does
  // not ask again. A rollover since is seen in the bulk answer, which names the backing index each
  // document went to: one created in another index than the known write index means the stream
  // rolled over, and `repair` looks for earlier copies of those documents (see `write` in sink.ts).
  let known: Map<string, readonly string[]> | undefined;
  const writeIndexOf = (stream: string): string | undefined => {
    const indices = known?.get(stream);
    return indices?.[indices.length - 1];
  };

  /**
   * Runs a step of the duplicate check, retried like a bulk request within the budget; a refusal
   * (400, or 401/403: no read access to earlier indices) turns the check off with a notice.
   */
  async function checking<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<Checked<T>> {
    const deadline = Date.now() + cfg.retry_budget_ms;
    for (let attempt = 1; ; attempt++) {
      try {
        return { value: await run() };
      } catch (err) {
        const verdict = classifyRequestError(err);
        if (verdict.kind === 'fatal' || verdict.kind === 'split' || verdict.kind === 'unauthorized') {
          dedupSkipped = true;
          known = undefined;
          opts.onNotice?.(
            `dedup across rollover is off: the duplicate check was refused (${verdict.reason}); ` +
              'a re-delivered event is a duplicate only within the current backing index.',
          );
          return { refused: true };
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
          const message = `the duplicate check still failed after ${attempt} attempts within the ${cfg.retry_budget_ms} ms budget (last: ${verdict.reason})`;
          return { failed: { code: OPENSEARCH_ERROR_CODES.retryBudget, message } };
        }
        await sleep(delay, signal).catch(() => undefined); // an abort wakes it: the next try reports it
      }
    }
  }

  async function delivered(
    events: Targets,
    signal?: AbortSignal,
  ): Promise<{ known: Set<number> } | { failed: { code: OpenSearchErrorCode; message: string } }> {
    const found = new Set<number>();
    if (!cfg.dedup_across_rollover || dedupSkipped || events.length === 0) return { known: found };
    const targets = Array.from({ length: events.length }, (_, i) => events.target(i));
    const streams = new Set(targets);
    const checked = await checking(async () => {
      found.clear();
      if (known === undefined || [...streams].some((s) => !known?.has(s))) {
        known = await dataStreams(client, cfg.index_prefix);
      }
      for (const stream of streams) {
        const rolled = earlierThan(known.get(stream) ?? []);
        if (rolled === undefined) continue;
        const positions = new Map<string, number[]>();
        targets.forEach((t, i) => {
          if (t !== stream) return;
          const id = events.id(i);
          positions.set(id, [...(positions.get(id) ?? []), i]);
        });
        for (const id of await findInEarlierIndices(client, stream, rolled, [...positions.keys()])) {
          for (const i of positions.get(id) ?? []) found.add(i);
        }
      }
    }, signal);
    return 'failed' in checked ? checked : { known: found };
  }

  async function repair(
    moved: readonly { item: BulkItem; index: string }[],
    signal?: AbortSignal,
  ): Promise<Checked<BulkItem[]>> {
    known = undefined;
    return checking(async () => {
      known = await dataStreams(client, cfg.index_prefix);
      const groups = new Map<string, { stream: string; index: string; items: BulkItem[] }>();
      for (const { item, index } of moved) {
        const key = `${item.target}\n${index}`;
        let group = groups.get(key);
        if (group === undefined) {
          group = { stream: item.target, index, items: [] };
          groups.set(key, group);
        }
        group.items.push(item);
      }
      const copies: BulkItem[] = [];
      let body = '';
      for (const { stream, index, items } of groups.values()) {
        const rolled = earlierThan(known.get(stream) ?? [], index);
        if (rolled === undefined) continue; // the stream's first backing index: nothing earlier
        const found = await findInEarlierIndices(client, stream, rolled, [
          ...new Set(items.map((i) => i.id)),
        ]);
        for (const item of items) {
          if (!found.has(item.id)) continue;
          copies.push(item);
          body += `{"delete":{"_index":${JSON.stringify(index)},"_id":${JSON.stringify(item.id)}}}\n`;
        }
      }
      if (copies.length === 0) return copies;
      const res = await client.bulk({
        body: body as never,
        filter_path: 'errors,items.*.status,items.*.error',
      });
      const items = (res.body as { items?: Record<string, BulkResponseItem>[] }).items ?? [];
      // A copy already gone (404) is fine; anything else is tried again.
      const left = items.filter((e) => {
        const status = (Object.values(e)[0] as BulkResponseItem | undefined)?.status;
        return status !== 200 && status !== 404;
      });
      if (items.length !== copies.length || left.length > 0) {
        throw new Error(`${left.length} duplicate copies in a new backing index were not deleted`);
      }
      return copies;
    }, signal);
  }

  return {
    active: () => cfg.dedup_across_rollover && !dedupSkipped,
    writeIndexOf,
    delivered,
    repair,
  };
}
