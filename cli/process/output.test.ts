import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChunkedWriter } from './output.js';

describe('ChunkedWriter', () => {
  it('waits for drain when the stream is full (backpressure) and keeps the order', async () => {
    const written: string[] = [];
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk, _enc, done) {
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        setTimeout(() => {
          written.push(String(chunk));
          done();
        }, 1);
      },
    });
    const writer = new ChunkedWriter(slow, 32);
    for (let i = 0; i < 50; i++) await writer.write(`line-${String(i).padStart(3, '0')}\n`);
    await writer.flush();
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(written.join('').split('\n').filter(Boolean)).toEqual(
      Array.from({ length: 50 }, (_, i) => `line-${String(i).padStart(3, '0')}`),
    );
    // Each flush waited for drain: at most one chunk (~40 bytes) was ever buffered in the stream,
    // where ignoring backpressure would have queued all 450 bytes at once.
    expect(maxBuffered).toBeLessThan(80);
  });

  it('records a stream error instead of throwing, and drops later output', async () => {
    const broken = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('gone'), { code: 'EPIPE' }));
      },
    });
    const writer = new ChunkedWriter(broken, 1);
    await writer.write('a\n');
    await new Promise((r) => setImmediate(r));
    expect((writer.error as { code?: string } | undefined)?.code).toBe('EPIPE');
    await expect(writer.write('b\n')).resolves.toBeUndefined();
  });
});
