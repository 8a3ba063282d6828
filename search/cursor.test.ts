import { describe, expect, it } from 'vitest';
import { decodePageCursor, encodePageCursor, parseSortOrder } from './cursor.js';

describe('page cursors', () => {
  it('round-trip a key with a numeric or a string tiebreaker, URL-safe', () => {
    for (const key of [
      { sort: 'desc', t: 1_767_268_800_000, tie: 42 },
      { sort: 'asc', t: 0, tie: 'evt-"1"/+=' },
    ] as const) {
      const c = encodePageCursor(key);
      expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodePageCursor(c, key.sort)).toEqual(key);
    }
  });

  it('refuses a cursor of the other order', () => {
    const c = encodePageCursor({ sort: 'desc', t: 1, tie: 1 });
    expect(() => decodePageCursor(c, 'asc')).toThrow(/sort=desc, not sort=asc/);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['an object', Buffer.from('{"t":1}').toString('base64url')],
    ['a bad order', Buffer.from('["up",1,1]').toString('base64url')],
    ['a float time', Buffer.from('["desc",1.5,1]').toString('base64url')],
    ['an empty tiebreaker', Buffer.from('["desc",1,""]').toString('base64url')],
    ['an object tiebreaker', Buffer.from('["desc",1,{}]').toString('base64url')],
    ['too long', 'A'.repeat(3000)],
  ])('refuses %s with a typed error', (_why, cursor) => {
    expect(() => decodePageCursor(cursor, 'desc')).toThrow(
      expect.objectContaining({
        code: 'SEARCH_BAD_REQUEST',
        message: expect.stringMatching(/bad page cursor/),
      }),
    );
  });

  it('reads the sort parameter', () => {
    expect(parseSortOrder(null)).toBe('desc');
    expect(parseSortOrder('asc')).toBe('asc');
    expect(() => parseSortOrder('newest')).toThrow(/desc .* or asc/);
  });
});
