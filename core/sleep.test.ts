import { describe, expect, it } from 'vitest';
import { sleep } from './sleep.js';

describe('sleep', () => {
  it('resolves after the time', async () => {
    const t0 = performance.now();
    await sleep(20);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
  });

  it("rejects with the signal's reason when it aborts during the wait, without waiting the time out", async () => {
    const ac = new AbortController();
    const reason = new Error('stop');
    const t0 = performance.now();
    const waiting = sleep(60_000, ac.signal);
    setTimeout(() => ac.abort(reason), 5);
    await expect(waiting).rejects.toBe(reason);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const reason = new Error('already');
    await expect(sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
