import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflatedSizeHint } from './slice.js';

describe('inflatedSizeHint', () => {
  it('reads the size a gzip record announces from the tail of its base64', () => {
    for (const size of [0, 1, 100, 70_000, 3 * 2 ** 20 + 7]) {
      const text = 'x'.repeat(size);
      const b64 = gzipSync(text).toString('base64');
      expect(inflatedSizeHint(b64)).toBe(Math.max(size, Math.floor((b64.length * 3) / 4)));
    }
  });

  it('takes the decoded length of plain data, and 0 of no data', () => {
    const b64 = Buffer.from('{"message":"plain NDJSON line"}\n'.repeat(10)).toString('base64');
    expect(inflatedSizeHint(b64)).toBe(Math.floor((b64.length * 3) / 4));
    expect(inflatedSizeHint(undefined)).toBe(0);
    expect(inflatedSizeHint('')).toBe(0);
  });
});
