import type { SqliteStore } from '../sinks/sqlite/store.js';

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  /** Events whose `@timestamp` is older than this are deleted. */
  readonly retentionHours: number;
  /** Time between passes (default one minute); the first pass runs at once. */
  readonly intervalMs?: number;
  /** Events deleted per transaction (default 5,000); the event loop runs between batches. */
  readonly batch?: number;
  /** The clock (tests pass a fixed one). */
  readonly now?: () => number;
  /** Told how many events a pass deleted, when it deleted any. */
  readonly log: (line: string) => void;
}

/** A running retention loop. */
export interface Retention {
  /** Runs one pass now (waits for a pass already running); resolves to the events it deleted. */
  pass(): Promise<number>;
  /** Total events deleted since start. */
  readonly deleted: number;
  /** Stops the timer and waits for a running pass; no pass starts afterwards. */
  stop(): Promise<void>;
}

/**
 * Keeps the embedded store within its retention: deletes events older than `retentionHours`
 * (by `@timestamp`) at start and then every `intervalMs`, in small transactions so writers and
 * searches are never held up for long.
 */
export function startRetention(store: Pick<SqliteStore, 'prune'>, opts: RetentionOptions): Retention {
  const now = opts.now ?? Date.now;
  const batch = opts.batch ?? 5000;
  let deleted = 0;
  let stopped = false;
  let running: Promise<number> | undefined;

  const run = async (): Promise<number> => {
    const cutoff = now() - opts.retentionHours * 3_600_000;
    let total = 0;
    for (;;) {
      if (stopped) break;
      const n = store.prune(cutoff, batch);
      total += n;
      if (n < batch) break;
      await new Promise<void>((r) => setImmediate(r));
    }
    deleted += total;
    if (total > 0)
      opts.log(
        `sluice start: retention deleted ${total} events older than ${opts.retentionHours} h (before ${new Date(cutoff).toISOString()})`,
      );
    return total;
  };
  const pass = (): Promise<number> => {
    if (stopped) return Promise.resolve(0);
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };
  const onError = (err: unknown) =>
    opts.log(`sluice start: retention pass failed, will retry: ${(err as Error).message}`);
  const timer = setInterval(() => void pass().catch(onError), opts.intervalMs ?? 60_000);
  timer.unref();
  void pass().catch(onError);

  return {
    pass,
    get deleted() {
      return deleted;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
