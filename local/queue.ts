/**
 * A bounded FIFO queue measured in events (each item carries its weight). `push` waits while the
 * queue is full — that wait is the backpressure every source feels (HTTP requests are answered
 * only once their events are queued; stdin and the demo pause). A single item heavier than the
 * capacity is admitted when the queue is empty, so it can never wait forever.
 */
export class BoundedQueue<T> {
  readonly #capacity: number;
  readonly #items: { item: T; weight: number }[] = [];
  #weight = 0;
  #closed = false;
  #spaceWaiters: (() => void)[] = [];
  #dataWaiters: (() => void)[] = [];

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  /** Events waiting. */
  get size(): number {
    return this.#weight;
  }

  /** True once `close` was called: no more pushes are accepted. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds an item of `weight` events, waiting for room. Resolves `true` once queued, `false` when
   * the queue was closed first (the caller still owns the item).
   */
  async push(item: T, weight: number): Promise<boolean> {
    while (!this.#closed && this.#weight > 0 && this.#weight + weight > this.#capacity) {
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    }
    if (this.#closed) return false;
    this.#items.push({ item, weight });
    this.#weight += weight;
    this.#wake(this.#dataWaiters);
    return true;
  }

  /**
   * Takes items worth up to `maxWeight` events (at least one item when any is there), waiting up to
   * `waitMs` for the first. Returns an empty list on timeout, or when closed and drained.
   */
  async take(maxWeight: number, waitMs: number): Promise<T[]> {
    if (this.#items.length === 0 && !this.#closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.#dataWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const out: T[] = [];
    let taken = 0;
    while (this.#items.length > 0) {
      const next = this.#items[0]!;
      if (out.length > 0 && taken + next.weight > maxWeight) break;
      this.#items.shift();
      out.push(next.item);
      taken += next.weight;
      this.#weight -= next.weight;
    }
    if (out.length > 0) this.#wake(this.#spaceWaiters);
    return out;
  }

  /** Refuses further pushes (waiting pushers resolve `false`); queued items can still be taken. */
  close(): void {
    this.#closed = true;
    this.#wake(this.#spaceWaiters);
    this.#wake(this.#dataWaiters);
  }

  #wake(waiters: (() => void)[]): void {
    for (const w of waiters.splice(0)) w();
  }
}
