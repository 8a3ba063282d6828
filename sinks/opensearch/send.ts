import type { Client } from '@opensearch-project/opensearch';
import { type BulkItem, bulkBody, documentOf, reserialize, splitInHalf } from './body.js';
import { type BulkResponseItem, classifyItem, classifyRequestError } from './classify.js';
import { OPENSEARCH_ERROR_CODES, type OpenSearchErrorCode } from './errors.js';
import { healDocument } from './heal.js';
import type { Settle } from './report.js';

/** Only what the sink reads of a bulk answer (`_index`: where a document went, see `landed`). */
const FILTER_PATH = 'errors,items.*.status,items.*.error,items.*._index';

/** The accounting of one `write`, shared by all of its bulk requests (declared before any of them runs). */
export interface WriteState {
  /** Records an input's fate. */
  readonly settle: Settle;
  /** Items to dead-letter once the write is over (rejected for good, or too large alone). */
  readonly letters: { item: BulkItem; code: OpenSearchErrorCode; message: string }[];
  /** Items whose document was changed to be indexable (healed or bounded). */
  readonly everHealed: Set<BulkItem>;
  /** Of those, how many were then indexed. */
  healed: number;
  /** Why the last retried item or request failed (for the retry-budget message). */
  lastRetryReason: string;
  /** Told the backing index of each document a bulk answer says was created (`_index`). */
  readonly landed?: ((item: BulkItem, index: string) => void) | undefined;
}

/** A fresh {@link WriteState}. */
export function newWriteState(settle: Settle, landed?: (item: BulkItem, index: string) => void): WriteState {
  return { settle, letters: [], everHealed: new Set(), healed: 0, lastRetryReason: '', landed };
}

/** What one bulk request needs. */
export interface SendContext {
  readonly client: Client;
  readonly maxHealsPerDoc: number;
  readonly signal?: AbortSignal | undefined;
  readonly state: WriteState;
}

/**
 * Sends one bulk request and sorts its items: settled (indexed, duplicate, handed back), to
 * `retry` (after a backoff), to `again` (healed: resend at once) or to the letters. A 413 splits
 * the chunk in halves (a single document is then dead-lettered as too large). Resolves `true`
 * when the cluster answered the request as a whole (its body was sent and read), `false` when the
 * request failed or was not sent.
 */
export async function sendChunk(
  ctx: SendContext,
  chunk: BulkItem[],
  retry: BulkItem[],
  again: BulkItem[],
): Promise<boolean> {
  const { state } = ctx;
  if (ctx.signal?.aborted) {
    for (const item of chunk)
      state.settle(item, 'not_delivered', OPENSEARCH_ERROR_CODES.aborted, 'write aborted');
    return false;
  }
  let body: { errors?: boolean; items?: Record<string, BulkResponseItem>[] };
  try {
    // Pre-built NDJSON bytes: the transport sends them as they are (no re-serialisation or re-encoding).
    const req = ctx.client.bulk({ body: bulkBody(chunk) as never, filter_path: FILTER_PATH });
    const onAbort = (): void => req.abort();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      body = (await req).body as typeof body;
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
    }
  } catch (err) {
    const verdict = classifyRequestError(err);
    if (verdict.kind === 'split') {
      if (chunk.length === 1) {
        const message = 'the document alone is larger than the cluster accepts (HTTP 413)';
        state.letters.push({ item: chunk[0] as BulkItem, code: OPENSEARCH_ERROR_CODES.tooLarge, message });
        return false;
      }
      for (const half of splitInHalf(chunk)) await sendChunk(ctx, half, retry, again);
    } else if (verdict.kind === 'retry') {
      retry.push(...chunk);
      state.lastRetryReason = verdict.reason;
    } else {
      const code =
        verdict.kind === 'aborted'
          ? OPENSEARCH_ERROR_CODES.aborted
          : verdict.kind === 'unauthorized'
            ? OPENSEARCH_ERROR_CODES.unauthorized
            : OPENSEARCH_ERROR_CODES.requestFailed;
      for (const item of chunk) state.settle(item, 'not_delivered', code, verdict.reason);
    }
    return false;
  }
  const responseItems = body.items ?? [];
  for (let k = 0; k < chunk.length; k++) {
    const item = chunk[k] as BulkItem;
    const entry = responseItems[k];
    const res = entry ? (entry.create ?? Object.values(entry)[0]) : undefined;
    if (!res) {
      retry.push(item);
      state.lastRetryReason = 'bulk response without this item';
      continue;
    }
    const verdict = classifyItem(res);
    switch (verdict.kind) {
      case 'indexed':
        if (res._index !== undefined) state.landed?.(item, res._index);
        state.settle(item, verdict.kind);
        if (state.everHealed.has(item)) state.healed++;
        break;
      case 'duplicate':
        state.settle(item, verdict.kind);
        if (state.everHealed.has(item)) state.healed++;
        break;
      case 'retry':
        retry.push(item);
        state.lastRetryReason = verdict.reason;
        break;
      case 'heal': {
        const current = item.heals < ctx.maxHealsPerDoc ? documentOf(item) : undefined;
        const doc = current && healDocument(current, verdict.field);
        if (!doc) {
          state.letters.push({ item, code: OPENSEARCH_ERROR_CODES.rejected, message: verdict.reason });
          break;
        }
        item.doc = doc;
        item.heals++;
        reserialize(item);
        state.everHealed.add(item);
        again.push(item);
        break;
      }
      case 'refused':
        state.settle(item, 'not_delivered', OPENSEARCH_ERROR_CODES.requestFailed, verdict.reason);
        break;
      case 'unauthorized':
        // Good events the cluster will not take from us: handed back, never dead-lettered.
        state.settle(item, 'not_delivered', OPENSEARCH_ERROR_CODES.unauthorized, verdict.reason);
        break;
      case 'reject':
        state.letters.push({ item, code: OPENSEARCH_ERROR_CODES.rejected, message: verdict.reason });
        break;
    }
  }
  return true;
}
