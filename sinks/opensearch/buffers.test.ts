import { describe, expect, it } from 'vitest';
import { createBufferPool, NO_POOL } from './buffers.js';

describe('createBufferPool', () => {
  it('hands a given buffer out again for a request it fits, the smallest that fits first', () => {
    const pool = createBufferPool(3, 1 << 20);
    const small = pool.take(1000);
    const large = pool.take(50_000);
    expect(small.length).toBe(1000);
    expect(large.length).toBe(50_000);
    pool.give(large);
    pool.give(small);
    expect(pool.take(800)).toBe(small);
    expect(pool.take(800)).toBe(large);
    expect(pool.take(800)).not.toBe(small); // both taken: a new one
  });

  it('allocates when no kept buffer is large enough', () => {
    const pool = createBufferPool(3, 1 << 20);
    const small = pool.take(100);
    pool.give(small);
    const big = pool.take(200);
    expect(big).not.toBe(small);
    expect(big.length).toBe(200);
    expect(pool.take(50)).toBe(small);
  });

  it('keeps at most `keep` buffers (the largest), none over `maxBytes`, none that is a view into another', () => {
    const pool = createBufferPool(2, 10_000);
    const [a, b, c] = [pool.take(100), pool.take(300), pool.take(200)];
    const over = pool.take(20_000);
    const backing = Buffer.allocUnsafeSlow(1000);
    for (const buf of [a, b, c, over, backing.subarray(10, 900)]) pool.give(buf);
    expect(pool.take(1)).toBe(c);
    expect(pool.take(1)).toBe(b);
    const fresh = pool.take(1);
    expect([a, over]).not.toContain(fresh);
    expect(fresh.buffer).not.toBe(backing.buffer);
  });

  it('NO_POOL allocates every time', () => {
    const buf = NO_POOL.take(64);
    NO_POOL.give(buf);
    expect(NO_POOL.take(64)).not.toBe(buf);
  });
});
