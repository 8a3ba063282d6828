import type { LogEvent } from '../../transform/schema.js';
import type { DeliveryResult } from '../contract.js';
import type { DeadLetter } from '../dead-letters/types.js';

/**
 * The messages between `openSqliteStoreThread` (`store-thread.ts`) and its writer thread
 * (`store-thread-worker.ts`). A batch crosses as its `LogEvent`s (structured clone): measured on
 * the search-scale bench's traffic, about 3 µs per event on the caller's thread and 8 µs of CPU
 * in all, against 3–6 µs and 6–7 µs for a JSON string and 16 µs on the caller's thread for rows
 * built there (`toRow`), which would move the row building back onto the caller's thread.
 */
export type StoreOp =
  | { readonly op: 'write'; readonly events: readonly LogEvent[] }
  | { readonly op: 'prune'; readonly beforeMs: number; readonly limit?: number }
  | { readonly op: 'compact' | 'size' | 'count' | 'close' };

/** One call to the writer thread; answered by a reply with its `id`. */
export type StoreCall = StoreOp & { readonly id: number };

/** A `write`'s answer: the results, and the letters of its `dead_lettered` events in order. */
export interface WriteAnswer {
  readonly results: readonly DeliveryResult[];
  readonly letters: readonly DeadLetter[];
}

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly code?: string;
  readonly message: string;
}

/** What the writer thread posts. */
export type StoreReply =
  | { readonly log: string }
  | { readonly ready: true }
  | { readonly failed: WireError }
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };
