import { describe, expect, it, vi } from 'vitest';
import { makeLogEvent, makeLogEvents } from '../../test/factories/log-events.js';
import {
  bulkBody,
  chunkItems,
  compileKeyNamer,
  compileStreamNamer,
  documentOf,
  encodeEvent,
  eventOf,
  serializeOperation,
} from './body.js';
import { createBufferPool } from './buffers.js';
import { buildItems, createChunker, createEncodedChunker } from './chunker.js';

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

  it('reuses a recycled request buffer for a later request, keeping the bytes of the items still pending', () => {
    const pool = createBufferPool(1, 1e6);
    const chunker = createChunker(events, () => 's', 4000, 5, undefined, pool);
    const first = chunker.next() ?? [];
    const arena = first[0]?.line.buffer;
    expect(first.every((i) => i.line.buffer === arena)).toBe(true);
    const pendingLines = new Map(
      first.filter((_, k) => k % 2 === 0).map((i) => [i, i.line.toString('utf8')]),
    );
    chunker.recycle(first, (item) => pendingLines.has(item));
    for (const item of first) {
      expect(item.line.buffer).not.toBe(arena);
      expect(item.line.toString('utf8')).toBe(pendingLines.get(item) ?? '');
    }
    const second = chunker.next() ?? [];
    expect(second[0]?.line.buffer).toBe(arena); // the recycled buffer, overwritten by the next request
    for (const [item, line] of pendingLines) {
      expect(item.line.toString('utf8')).toBe(line);
      expect(line).toBe(serializeOperation('s', item.id, events[item.index]));
    }
    for (const item of second) {
      expect(item.line.toString('utf8')).toBe(serializeOperation('s', item.id, events[item.index]));
    }
    chunker.recycle(first, () => true); // a second recycle of the same chunk does nothing
    expect(second[0]?.line.buffer).toBe(arena);
    expect(chunker.next()?.[0]?.line.buffer).not.toBe(arena); // still in use by `second`
  });
});

describe('createEncodedChunker', () => {
  const named = compileKeyNamer('sluice-logs');
  const long = 'x'.repeat(20_000);
  const events = [
    ...makeLogEvents(20).map((e, i) => (i % 5 === 2 ? { ...e, message: 'ü€😀'.repeat(30 * i) } : e)),
    makeLogEvent(90, { service: { name: 'Billing API' }, attributes: { body: long } }),
    makeLogEvent(91, { route: 'audit' }),
  ];
  const drainOf = (chunker: ReturnType<typeof createChunker>) => {
    const chunks = [];
    for (let c = chunker.next(); c !== undefined; c = chunker.next()) chunks.push(c);
    return { chunks, items: chunker.items };
  };

  it.each([
    [1e9, 10_000],
    [5000, 3],
    [10, 100],
  ])(
    'forwards each JSON as it came and packs exactly like the object path (max %d bytes, %d docs)',
    (maxBytes, maxDocs) => {
      // Key order differs from JSON.stringify of the object: the text is forwarded, not re-serialised.
      const texts = events.map((e) => JSON.stringify(Object.fromEntries(Object.entries(e).reverse())));
      const encoded = events.map((e, i) => encodeEvent(e, texts[i]));
      const byObject = drainOf(
        createChunker(events, compileStreamNamer('sluice-logs', 'service'), maxBytes, maxDocs, 8192),
      );
      const byText = drainOf(createEncodedChunker(encoded, (e) => named(e.service), maxBytes, maxDocs, 8192));
      expect(byText.chunks.map((c) => c.map((i) => i.index))).toEqual(
        byObject.chunks.map((c) => c.map((i) => i.index)),
      );
      for (const [k, item] of byText.items.entries()) {
        const other = byObject.items[k]!;
        expect([item.id, item.target]).toEqual([other.id, other.target]);
        const [action, doc] = item.line.toString('utf8').split('\n');
        expect(action).toBe(other.line.toString('utf8').split('\n')[0]);
        expect(JSON.parse(doc as string)).toEqual(
          JSON.parse(other.line.toString('utf8').split('\n')[1] as string),
        );
        if (item.doc === undefined) expect(doc).toBe(texts[k]); // forwarded byte for byte
        expect(eventOf(item)).toEqual(events[k]); // what a dead letter keeps: the event itself
      }
    },
  );

  it.each([
    ['with the check encodeEvent made for the same limit', 8192, true],
    ['from the parsed text, without that check', 8192, false],
    ['from the parsed text, when encodeEvent checked another limit', 4096, true],
  ])('bounds a value too long to index like the object path, %s', (_, encodedFor, withCheck) => {
    const encoded = events.map((e) => {
      const { bounded: _bounded, ...text } = encodeEvent(e, undefined, encodedFor);
      return withCheck ? encodeEvent(e, text.json, encodedFor) : text;
    });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const { items } = drainOf(createEncodedChunker(encoded, (e) => named(e.service), 1e9, 1e9, 8192));
      // Checked when encoded: no line is parsed again (only long ones are, without the check).
      const reused = withCheck && encodedFor === 8192;
      expect(parse).toHaveBeenCalledTimes(
        reused ? 0 : encoded.filter((e) => e.json.length * 3 > 8192).length,
      );
      parse.mockRestore();
      const bounded = items.find((i) => i.doc !== undefined);
      expect(bounded?.index).toBe(20);
      expect(bounded?.target).toBe('sluice-logs-billing-api');
      const doc = JSON.parse(bounded!.line.toString('utf8').split('\n')[1] as string);
      expect(doc.quarantine).toEqual({ 'attributes.body': long });
      expect(documentOf(bounded!)).toEqual(doc);
      expect(eventOf(bounded!)).toEqual(events[20]); // the input itself, not the bounded copy
      expect(items.filter((i) => i.doc !== undefined)).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps text that is not JSON as it came (the cluster rejects it; a dead letter keeps the text)', () => {
    const bad = { json: '{"message": "cut off', id: 'x', service: 'orders', route: undefined };
    const { items } = drainOf(createEncodedChunker([bad], (e) => named(e.service), 1e9, 1e9, 10));
    expect(items[0]?.line.toString('utf8')).toBe(
      `${serializeOperation('sluice-logs-orders', 'x', 0).split('\n')[0]}\n${bad.json}\n`,
    );
    expect(eventOf(items[0]!)).toBe(bad.json);
    expect(documentOf(items[0]!)).toBeUndefined();
  });
});
