import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

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
