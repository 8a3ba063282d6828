import { describe, expect, it } from 'vitest';
import { pool, pull } from './pool.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('pool', () => {
  it('runs every task, never more than n at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) => async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      done.push(i);
    });
    await pool(tasks, 3);
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('resolves for no tasks and rejects when a task fails', async () => {
    await pool([], 4);
    await expect(pool([async () => {}, async () => Promise.reject(new Error('x'))], 2)).rejects.toThrow('x');
  });
});

describe('pull', () => {
  it('takes tasks until next returns undefined', async () => {
    const queue = [1, 2, 3, 4, 5];
    const seen: number[] = [];
    await pull(() => {
      const v = queue.shift();
      return v === undefined ? undefined : async () => void seen.push(v);
    }, 2);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
