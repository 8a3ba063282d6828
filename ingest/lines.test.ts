import { describe, expect, it } from 'vitest';
import { type InputLine, readLineBatches } from './lines.js';

async function collect(chunks: (string | Uint8Array)[], maxLineBytes = 1024): Promise<InputLine[]> {
  async function* source() {
    yield* chunks;
  }
  const out: InputLine[] = [];
  for await (const batch of readLineBatches(source(), { maxLineBytes })) out.push(...batch);
  return out;
}

describe('readLineBatches', () => {
  it('splits lines across chunk boundaries, numbering from 1', async () => {
    expect(await collect(['a\nb', 'c\n', '\nd'])).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'bc' },
      { number: 3, text: '' },
      { number: 4, text: 'd' },
    ]);
  });

  it('removes a trailing CR (CRLF files)', async () => {
    expect(await collect(['x\r\ny\r\n'])).toEqual([
      { number: 1, text: 'x' },
      { number: 2, text: 'y' },
    ]);
  });

  it('keeps a multi-byte UTF-8 character split between chunks intact', async () => {
    const bytes = Buffer.from('héllo €\n');
    expect(await collect([bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7)])).toEqual([
      { number: 1, text: 'héllo €' },
    ]);
  });

  it('turns invalid UTF-8 into replacement characters instead of failing', async () => {
    expect(await collect([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])])).toEqual([
      { number: 1, text: 'a\ufffd\ufffdb' },
    ]);
  });

  it('reports an over-long line with its size, without buffering it, and goes on', async () => {
    const long = 'x'.repeat(3000);
    const lines = await collect(['ok\n', long.slice(0, 1000), long.slice(1000), '\nnext\n'], 100);
    expect(lines).toEqual([
      { number: 1, text: 'ok' },
      { number: 2, tooLong: true, bytes: 3000 },
      { number: 3, text: 'next' },
    ]);
  });

  it('reports an over-long last line without a line break', async () => {
    expect(await collect(['a\n', 'y'.repeat(200)], 100)).toEqual([
      { number: 1, text: 'a' },
      { number: 2, tooLong: true, bytes: 200 },
    ]);
  });
});
