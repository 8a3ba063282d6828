import type { DeadLetterSink, DeliveryResult, DeliveryReport as SinkDeliveryReport } from '../contract.js';
import type { DeadLetter } from '../dead-letters/types.js';
import { type BulkItem, eventOf } from './body.js';
import { OPENSEARCH_ERROR_CODES, type OpenSearchErrorCode } from './errors.js';

export type { DeliveryResult } from '../contract.js';

/** Why one input was dead-lettered or not delivered (no event content). */
export interface DeliveryFailure {
  readonly index: number;
  readonly code: OpenSearchErrorCode;
  readonly message: string;
}

/** The accounting of one `write` (the sinks' {@link SinkDeliveryReport}) plus OpenSearch's details. */
export interface DeliveryReport extends SinkDeliveryReport {
  readonly results: DeliveryResult[];
  readonly counts: Record<DeliveryResult, number>;
  /** One entry per dead-lettered or not-delivered input. */
  readonly failures: DeliveryFailure[];
  /** Documents indexed after moving offending fields to `quarantine`. */
  readonly healed: number;
}

/** Records the fate of one item. */
export type Settle = (
  item: BulkItem,
  result: DeliveryResult,
  code?: OpenSearchErrorCode,
  message?: string,
) => void;

/** Builds the report from the aligned results. */
export function report(
  results: DeliveryResult[],
  failures: DeliveryFailure[],
  healed: number,
): DeliveryReport {
  const counts: Record<DeliveryResult, number> = {
    indexed: 0,
    duplicate: 0,
    dead_lettered: 0,
    not_delivered: 0,
  };
  for (const r of results) counts[r]++;
  failures.sort((a, b) => a.index - b.index);
  return { results, counts, failures, healed };
}

/**
 * Stores the letters of documents that cannot be indexed; on success they are `dead_lettered`,
 * without a store or when it fails they are handed back as `not_delivered`.
 */
export async function deadLetter(
  store: DeadLetterSink | undefined,
  letters: readonly { item: BulkItem; code: OpenSearchErrorCode; message: string }[],
  settle: Settle,
): Promise<void> {
  if (!store) {
    for (const l of letters) {
      settle(
        l.item,
        'not_delivered',
        l.code,
        `${l.message}; no dead-letter store is configured, handed back`,
      );
    }
    return;
  }
  const at = new Date().toISOString();
  const batch: DeadLetter[] = letters.map((l) => ({
    id: l.item.id,
    at,
    stage: 'sink',
    error: { code: l.code, message: l.message },
    original: eventOf(l.item),
  }));
  try {
    await store.put(batch);
    for (const l of letters) settle(l.item, 'dead_lettered', l.code, l.message);
  } catch (err) {
    const why = err instanceof Error ? err.name : 'error';
    for (const l of letters) {
      settle(
        l.item,
        'not_delivered',
        OPENSEARCH_ERROR_CODES.deadLetterFailed,
        `${l.message}; dead-letter store failed (${why})`,
      );
    }
  }
}
