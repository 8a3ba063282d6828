/** Exponential backoff with full jitter: the one schedule every retry loop uses. */
export interface BackoffOptions {
  /** First retry waits up to this (default 100 ms). */
  readonly baseDelayMs?: number;
  /** No wait is longer than this (default 5000 ms). */
  readonly maxDelayMs?: number;
}

/** The longest wait before retry number `attempt` (1 = first retry): `min(maxDelayMs, baseDelayMs · 2^(attempt-1))`. */
export function backoffCeilingMs(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 5000;
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/**
 * The wait before retry number `attempt` (1 = first retry): a uniformly random time in
 * `[0, backoffCeilingMs(attempt)]` ("full jitter"). Pure given `random`.
 */
export function backoffDelayMs(
  attempt: number,
  opts: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeilingMs(attempt, opts));
}
