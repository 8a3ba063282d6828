import { describe, expect, it } from 'vitest';
import { makeLogEvent, makeLogEvents } from '../../test/factories/log-events.js';
import { bulkBody, chunkItems, serializeOperation } from './body.js';
import { buildItems, createChunker } from './chunker.js';

const drain = (events: Parameters<typeof createChunker>[0], maxBytes: number, maxDocs: number) => {
  const chunker = createChunker(events, () => 's', maxBytes, maxDocs);
  const chunks = [];
  for (let c = chunker.next(); c !== undefined; c = chunker.next()) chunks.push(c);
  return { chunks, items: chunker.items };
};

describe('createChunker', () => {
  const events = makeLogEvents(25).map((e, i) =>
    i % 7 === 3 ? { ...e, message: 'ü€😀'.repeat(40 * i) } : e,
  );
  const whole = buildItems(events, () => 's');

  it.each([
    [1e9, 10_000],
    [1e9, 4],
    [3000, 10_000],
    [5000, 3],
    [10, 100],
  ])('packs like chunkItems of the whole batch (max %d bytes, %d docs)', (maxBytes, maxDocs) => {
    const { chunks, items } = drain(events, maxBytes, maxDocs);
    const expected = chunkItems(whole, maxBytes, maxDocs);
    expect(chunks.map((c) => c.map((i) => i.index))).toEqual(expected.map((c) => c.map((i) => i.index)));
    expect(items.map((i) => i.line.toString('utf8'))).toEqual(whole.map((i) => i.line.toString('utf8')));
    for (const chunk of chunks) {
      if (chunk.length > 1) expect(chunk.reduce((n, i) => n + i.bytes, 0)).toBeLessThanOrEqual(maxBytes);
      expect(chunk.length).toBeLessThanOrEqual(maxDocs);
    }
  });

  it('writes each event as its action and document lines, byte for byte', () => {
    for (const item of whole) {
      expect(item.line.toString('utf8')).toBe(serializeOperation('s', item.id, events[item.index]));
      expect(item.bytes).toBe(item.line.length);
    }
  });

  it('serialises on demand: a request is ready before the rest of the batch is built', () => {
    const chunker = createChunker(events, () => 's', 1e9, 5);
    const first = chunker.next();
    expect(first?.map((i) => i.index)).toEqual([0, 1, 2, 3, 4]);
    expect(chunker.items.filter((i) => i !== undefined)).toHaveLength(5);
    expect(bulkBody(first ?? []).toString('utf8')).toBe(
      (first ?? []).map((i) => i.line.toString('utf8')).join(''),
    );
  });

  it('returns nothing for nothing', () => {
    expect(createChunker([], () => 's', 100, 100).next()).toBeUndefined();
    expect(buildItems([], () => 's')).toEqual([]);
  });

  it('sends a document larger than the request limit alone', () => {
    const big = [makeLogEvent(1), makeLogEvent(2, { message: 'x'.repeat(5000) }), makeLogEvent(3)];
    expect(drain(big, 1000, 100).chunks.map((c) => c.map((i) => i.index))).toEqual([[0], [1], [2]]);
  });
});
