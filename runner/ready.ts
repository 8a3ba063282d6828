import { backoffDelayMs } from '../core/backoff.js';
import { sleep as defaultSleep } from '../core/sleep.js';
import type { RunnerLogEntry } from './shard-reader.js';

/** Options of {@link waitUntilReady}. */
export interface WaitUntilReadyOptions {
  /** What is waited for, in the log lines (e.g. `OpenSearch`). */
  readonly what: string;
  /** Fields added to every log line (e.g. `stage`, `node`). */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
  readonly log: (entry: RunnerLogEntry) => void;
  /** First wait ceiling (default 500 ms), doubling per failure up to `maxDelayMs` (default 30 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

function describeError(err: unknown): { error: string; code?: string; message?: string } {
  if (!(err instanceof Error)) return { error: typeof err };
  const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  return { error: err.name, ...(code ? { code } : {}), message: err.message.slice(0, 300) };
}

/**
 * Calls `probe` until it resolves, waiting with exponential backoff and full jitter between
 * failures, and logs each failure (`warn`, with the attempt and the wait) and the recovery
 * (`info`). Resolves `true` once the probe succeeded, `false` if `signal` aborted first. Never
 * throws for a failing probe: a dependency that is down is a state to report, not a crash.
 */
export async function waitUntilReady(
  probe: () => Promise<unknown>,
  o: WaitUntilReadyOptions,
): Promise<boolean> {
  const sleep = o.sleep ?? defaultSleep;
  let attempt = 0;
  while (!o.signal.aborted) {
    attempt++;
    try {
      await probe();
      if (attempt > 1) {
        o.log({ level: 'info', msg: `${o.what} answered; starting`, ...o.fields, attempts: attempt });
      }
      return true;
    } catch (err) {
      if (o.signal.aborted) break;
      const delayMs = Math.max(
        100,
        backoffDelayMs(
          attempt,
          { baseDelayMs: o.baseDelayMs ?? 500, maxDelayMs: o.maxDelayMs ?? 10_000 },
          o.random,
        ),
      );
      o.log({
        level: 'warn',
        msg: `${o.what} not reachable; waiting and retrying`,
        ...o.fields,
        attempt,
        retryInMs: delayMs,
        ...describeError(err),
      });
      try {
        await sleep(delayMs, o.signal);
      } catch {
        break;
      }
    }
  }
  return false;
}
