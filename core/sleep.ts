import { setTimeout as wait } from 'node:timers/promises';

/**
 * Waits `ms` (`node:timers/promises`). When `signal` aborts first — or already has — it rejects
 * with the signal's `reason`, the one abort behaviour of every retry loop. A caller that wants
 * to wake early instead of failing writes `await sleep(ms, signal).catch(() => undefined)`.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
}
