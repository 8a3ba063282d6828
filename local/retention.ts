import type { StoreSize } from '../sinks/sqlite/store.js';

/**
 * What retention needs of the store: `openSqliteStoreThread`'s (which answers from its writer
 * thread) or `openSqliteStore`'s.
 */
export interface RetainedStore {
  prune(beforeMs: number, limit?: number): number | Promise<number>;
  compact(): StoreSize | Promise<StoreSize>;
  size(): StoreSize | Promise<StoreSize>;
}

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  /** Events whose `@timestamp` is older than this are deleted. */
  readonly retentionHours: number;
  /**
   * Largest store size in bytes: past it, the oldest events are deleted (whatever their age)
   * until the pages in use fit. Default: no cap.
   */
  readonly maxBytes?: number;
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
 * (by `@timestamp`) and, when `maxBytes` is set, the oldest events until the store fits, at
 * start and then every `intervalMs`, in small transactions so writers and searches are never held
 * up for long; then gives the freed pages back to the file system (`compact`).
 */
export function startRetention(store: RetainedStore, opts: RetentionOptions): Retention {
  const now = opts.now ?? Date.now;
  const batch = opts.batch ?? 5000;
  let deleted = 0;
  let stopped = false;
  let running: Promise<number> | undefined;

  /** Deletes batch by batch while `more()` holds and events go; returns how many went. */
  const pruneWhile = async (beforeMs: number, more: () => Promise<boolean>): Promise<number> => {
    let total = 0;
    while (!stopped && (await more())) {
      const n = await store.prune(beforeMs, batch);
      total += n;
      if (n < batch) break;
      await new Promise<void>((r) => setImmediate(r));
    }
    return total;
  };

  const run = async (): Promise<number> => {
    const cutoff = now() - opts.retentionHours * 3_600_000;
    const byAge = await pruneWhile(cutoff, async () => true);
    if (byAge > 0)
      opts.log(
        `sluice start: retention deleted ${byAge} events older than ${opts.retentionHours} h (before ${new Date(cutoff).toISOString()})`,
      );
    let bySize = 0;
    const cap = opts.maxBytes;
    const used = async (): Promise<number> => (await store.size()).usedBytes;
    if (cap !== undefined && (await used()) > cap) {
      // Freed pages only count once given back, so compact between rounds of deletes.
      for (;;) {
        const n = await pruneWhile(Number.POSITIVE_INFINITY, async () => (await used()) > cap);
        bySize += n;
        const after = await store.compact();
        if (n === 0 || after.usedBytes <= cap || stopped) break;
      }
      opts.log(
        `sluice start: the store is over its ${Math.round(cap / 2 ** 20)} MB cap: deleted the ${bySize} oldest events (now ${Math.round((await used()) / 2 ** 20)} MB)`,
      );
    } else if (byAge > 0) await store.compact();
    const total = byAge + bySize;
    deleted += total;
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
