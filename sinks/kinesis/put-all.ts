import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { backoffDelayMs } from '../../core/backoff.js';
import { sleep } from '../../core/sleep.js';
import type { PutRecordsClient } from './writer.js';

/** Errors of a `PutRecords` call that a retry cannot fix (a missing stream, a denied call, a bad key). */
const FATAL_PUT_RECORDS_ERRORS: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'ValidationException',
  'InvalidArgumentException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSNotFoundException',
]);

/** One record for {@link putAllRecords}. */
export interface PutRecordEntry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/** Options of {@link putAllRecords}. */
export interface PutAllOptions {
  /** Rounds of `PutRecords` for entries that keep failing, first included (default 8). */
  readonly maxAttempts?: number;
  readonly signal?: AbortSignal;
  /** Jitter source for the backoff (tests pass a fixed one). */
  readonly random?: () => number;
  /** Called before each `PutRecords` request (for counting). */
  readonly onRequest?: () => void;
}

/**
 * Why {@link putAllRecords} gave up: `fatal` — a call a retry cannot fix (`name` is the SDK error's
 * name, `cause` the error); `exhausted` — `left` entries were still refused after `rounds` rounds
 * (`lastError` is the last error code or thrown error name seen).
 */
export type PutAllFailure =
  | { readonly kind: 'fatal'; readonly name: string; readonly cause: unknown }
  | {
      readonly kind: 'exhausted';
      readonly left: number;
      readonly rounds: number;
      readonly lastError: string;
    };

/**
 * Puts one request's worth of records (≤ 500 entries, ≤ 5 MiB: the caller chunks) into `streamName`,
 * re-sending exactly the entries `PutRecords` refused, with backoff between rounds; a thrown
 * transient error retries the whole remainder. Returns `undefined` once every entry is accepted,
 * else why it gave up — the caller words that as its own typed error.
 */
export async function putAllRecords(
  client: PutRecordsClient,
  streamName: string,
  records: readonly PutRecordEntry[],
  o: PutAllOptions = {},
): Promise<PutAllFailure | undefined> {
  const maxAttempts = o.maxAttempts ?? 8;
  let left = records;
  let lastError = 'none';
  for (let attempt = 1; left.length > 0; attempt++) {
    if (attempt > maxAttempts)
      return { kind: 'exhausted', left: left.length, rounds: attempt - 1, lastError };
    if (attempt > 1) await sleep(backoffDelayMs(attempt - 1, {}, o.random), o.signal);
    o.onRequest?.();
    let res: Awaited<ReturnType<PutRecordsClient['send']>>;
    try {
      res = await client.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: left.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })),
        }),
        { abortSignal: o.signal },
      );
    } catch (err) {
      const name = err instanceof Error ? err.name : 'UnknownError';
      if (o.signal?.aborted || FATAL_PUT_RECORDS_ERRORS.has(name)) return { kind: 'fatal', name, cause: err };
      lastError = name;
      continue;
    }
    const refused = left.filter((_, i) => res.Records?.[i]?.ErrorCode !== undefined);
    lastError = res.Records?.find((r) => r.ErrorCode)?.ErrorCode ?? lastError;
    left = refused;
  }
  return undefined;
}
