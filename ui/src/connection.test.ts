import { describe, expect, it } from 'vitest';
import { POLL_MS, RETRY_MAX_MS, retryDelay } from './connection.js';

describe('retryDelay', () => {
  it('polls at the normal pace while the server answers', () => {
    expect(retryDelay(0)).toBe(POLL_MS);
  });
  it('backs off from 1 s, doubling, to at most 8 s', () => {
    expect([1, 2, 3, 4, 5, 6, 100].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000]);
    expect(retryDelay(10_000)).toBe(RETRY_MAX_MS);
  });
});
