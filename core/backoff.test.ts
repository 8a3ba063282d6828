import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles the ceiling per attempt up to the maximum', () => {
    const top = () => 0.999999;
    expect(
      [1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, { baseDelayMs: 100, maxDelayMs: 1000 }, top)),
    ).toEqual([99, 199, 399, 799, 999]);
  });
  it('jitters the whole range down to zero', () => {
    expect(backoffDelayMs(5, {}, () => 0)).toBe(0);
  });
});

describe('backoffCeilingMs', () => {
  it('is base · 2^(attempt-1), capped, and the base for attempt 0 or 1', () => {
    const o = { baseDelayMs: 500, maxDelayMs: 30_000 };
    expect([0, 1, 2, 3, 7, 20].map((a) => backoffCeilingMs(a, o))).toEqual([
      500, 500, 1000, 2000, 30_000, 30_000,
    ]);
  });
});
