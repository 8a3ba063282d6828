/** Exponential backoff with full jitter. */
export interface BackoffOptions {
  /** First retry waits up to this (default 100 ms). */
  readonly baseDelayMs?: number;
  /** No wait is longer than this (default 5000 ms). */
  readonly maxDelayMs?: number;
}

/**
 * The wait before retry number `attempt` (1 = first retry): a uniformly random time in
 * `[0, min(maxDelayMs, baseDelayMs · 2^(attempt-1))]` ("full jitter"). Pure given `random`.
 */
export function backoffDelayMs(
  attempt: number,
  opts: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 5000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
