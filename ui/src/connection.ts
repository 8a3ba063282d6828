import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { backoffCeilingMs } from '../../core/backoff.js';
import { api, isDisconnected, type Stats } from './api.js';

/** How often the counters are fetched while the server answers. */
export const POLL_MS = 2000;
/** First and longest wait between attempts while the server does not answer. */
export const RETRY_MIN_MS = 1000;
export const RETRY_MAX_MS = 8000;

/**
 * The wait before attempt `failures + 1` after `failures` unanswered attempts: 1 s, 2 s, 4 s, 8 s, 8 s…
 * (the project's backoff ceiling, without jitter: one tab, and its countdown is shown).
 */
export function retryDelay(failures: number): number {
  if (failures <= 0) return POLL_MS;
  return backoffCeilingMs(failures, { baseDelayMs: RETRY_MIN_MS, maxDelayMs: RETRY_MAX_MS });
}

/** Whether the server answers, its last counters, and how to react to losing it. */
export interface Connection {
  /** False from the first unanswered request until the server answers again. */
  readonly online: boolean;
  /** The last counters the server gave, and when (epoch ms). */
  readonly stats: Stats | undefined;
  readonly statsAt: number | undefined;
  /** When the next attempt is made while offline (epoch ms). */
  readonly retryAt: number | undefined;
  /** Goes up each time the server comes back, so searches and the live tail can start again. */
  readonly epoch: number;
  /** Tries now instead of waiting for the next attempt. */
  retryNow(): void;
  /** Tells the monitor a request failed: if no answer came, it checks the server at once. */
  report(err: unknown): void;
}

interface State {
  online: boolean;
  failures: number;
  stats?: Stats;
  statsAt?: number;
  retryAt?: number;
  epoch: number;
}

/**
 * Watches the server through `/api/stats`: every 2 s while it answers; once it does not, retries with
 * backoff (1 s doubling to 8 s) until it answers, then bumps `epoch`.
 */
export function useConnection(): Connection {
  const [state, setState] = useState<State>({ online: true, failures: 0, epoch: 0 });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef(false);
  const failures = useRef(0);

  const check = useCallback(async (): Promise<void> => {
    if (inFlight.current) return;
    inFlight.current = true;
    clearTimeout(timer.current);
    let wait: number;
    try {
      const stats = await api.stats();
      const back = failures.current > 0;
      failures.current = 0;
      wait = POLL_MS;
      setState((s) => ({
        online: true,
        failures: 0,
        stats,
        statsAt: Date.now(),
        epoch: back ? s.epoch + 1 : s.epoch,
      }));
    } catch (err) {
      if (isDisconnected(err)) {
        failures.current += 1;
        wait = retryDelay(failures.current);
        const retryAt = Date.now() + wait;
        setState((s) => ({ ...s, online: false, failures: failures.current, retryAt }));
      } else {
        wait = POLL_MS; // it answered, with an error: still there
      }
    } finally {
      inFlight.current = false;
    }
    timer.current = setTimeout(() => void check(), wait);
  }, []);

  useEffect(() => {
    void check();
    return () => clearTimeout(timer.current);
  }, [check]);

  // While offline, re-render every second so "retrying in N s" counts down.
  const [, setTick] = useState(0);
  useEffect(() => {
    if (state.online) return;
    const id = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [state.online]);

  const retryNow = useCallback(() => void check(), [check]);
  const report = useCallback(
    (err: unknown) => {
      if (isDisconnected(err) && failures.current === 0) void check();
    },
    [check],
  );
  return {
    online: state.online,
    stats: state.stats,
    statsAt: state.statsAt,
    retryAt: state.retryAt,
    epoch: state.epoch,
    retryNow,
    report,
  };
}
