import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeLogEvent, makeLogEvents } from '../../test/factories/log-events.js';
import {
  bulkBody,
  chunkItems,
  compileStreamNamer,
  documentId,
  encodeEvent,
  reserialize,
  splitInHalf,
  streamSegment,
} from './body.js';
import { buildItems } from './chunker.js';

describe('documentId', () => {
  it('is the same for the same event and differs by event id, group and stream', () => {
    const e = makeLogEvent(1);
    expect(documentId(e)).toBe(documentId(structuredClone(e)));
    expect(documentId(e)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const otherId = makeLogEvent(2);
    const otherGroup = {
      ...e,
      aws: { cloudwatch: { ...e.aws.cloudwatch, log_group: '/aws/lambda/billing' } },
    };
    const otherStream = { ...e, aws: { cloudwatch: { ...e.aws.cloudwatch, log_stream: 'other' } } };
    const ids = new Set([e, otherId, otherGroup, otherStream].map(documentId));
    expect(ids.size).toBe(4);
  });

  it('cannot be collided by moving characters between group and stream', () => {
    const a = makeLogEvent(1, { aws: { cloudwatch: { log_group: 'ab', log_stream: 'c' } } });
    const b = makeLogEvent(1, { aws: { cloudwatch: { log_group: 'a', log_stream: 'bc' } } });
    expect(documentId(a)).not.toBe(documentId(b));
  });

  it('stays the SHA-256 of the length-prefixed group, stream and event id (ids already indexed keep matching)', () => {
    const e = makeLogEvent(1, {
      aws: { cloudwatch: { log_group: '/aws/lambda/orders', log_stream: 's/1' } },
    });
    const input = `18:/aws/lambda/orders3:s/1${e.event.id}`;
    expect(documentId(e)).toBe(createHash('sha256').update(input).digest('base64url'));
  });
});

describe('encodeEvent', () => {
  it('checks a long line for values too long to index once, keeping only a bounded copy', () => {
    const short = encodeEvent(makeLogEvent(1));
    expect(short.bounded).toBeUndefined(); // too short to hold one: nothing checked, nothing kept
    const longMessage = encodeEvent(makeLogEvent(2, { message: 'm'.repeat(10_000) }));
    expect(longMessage.bounded).toEqual({ maxTermBytes: 8192, doc: undefined }); // checked, fits
    const body = 'b'.repeat(10_000);
    const event = makeLogEvent(3, { attributes: { body } });
    const longValue = encodeEvent(event, JSON.stringify(event), 4096);
    expect(longValue.bounded?.maxTermBytes).toBe(4096);
    expect(longValue.bounded?.doc?.quarantine).toEqual({ 'attributes.body': body });
    expect(longValue.json).toBe(JSON.stringify(event)); // the line itself is forwarded unchanged
  });
});

describe('streamSegment', () => {
  it.each([
    ['orders', 'orders'],
    ['Orders-API', 'orders-api'],
    ['/aws/lambda/fn', 'aws-lambda-fn'],
    ['__x', 'x'],
    ['', 'default'],
    [undefined, 'default'],
    ['***', 'default'],
    ['a'.repeat(300), 'a'.repeat(100)],
  ])('turns %j into %j', (raw, expected) => {
    expect(streamSegment(raw)).toBe(expected);
  });
});

describe('compileStreamNamer', () => {
  it('names one data stream per service under the prefix', () => {
    const name = compileStreamNamer('sluice-logs', 'service');
    expect(name(makeLogEvent(1))).toBe('sluice-logs-orders');
    expect(name(makeLogEvent(1, { service: { name: 'Billing' } }))).toBe('sluice-logs-billing');
  });

  it('names one data stream per route, route-less events to default', () => {
    const name = compileStreamNamer('sluice-logs', 'route');
    expect(name(makeLogEvent(1, { route: 'audit' }))).toBe('sluice-logs-audit');
    expect(name(makeLogEvent(1))).toBe('sluice-logs-default');
  });
});

describe('buildItems / bulkBody', () => {
  it('writes one create action and one document per event, in input order', () => {
    const events = makeLogEvents(3);
    const items = buildItems(events, () => 'sluice-logs-orders');
    const lines = bulkBody(items).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[0] as string)).toEqual({
      create: { _index: 'sluice-logs-orders', _id: documentId(events[0]!) },
    });
    expect(JSON.parse(lines[1] as string)).toEqual(events[0]);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2]);
    expect(items[0]!.bytes).toBe(Buffer.byteLength(items[0]!.line));
  });

  it('counts bytes, not characters, and re-serialises a changed document', () => {
    const [item] = buildItems([makeLogEvent(1, { message: 'ü€😀' })], () => 's');
    expect(item!.bytes).toBe(item!.line.length);
    expect(item!.bytes).toBeGreaterThan(item!.line.toString('utf8').length);
    item!.doc = { ...item!.doc, message: 'x' };
    reserialize(item!);
    expect(item!.line.toString('utf8')).toContain('"message":"x"');
    expect(item!.bytes).toBe(Buffer.byteLength(item!.line));
  });
});

describe('bulkBody', () => {
  const textOf = (lines: readonly Buffer[]): string => lines.map((l) => l.toString('utf8')).join('');

  it('is the lines of the chunk in order, whether they lie side by side or not', () => {
    const items = buildItems(makeLogEvents(6), () => 's');
    expect(bulkBody(items.slice(1, 4)).toString('utf8')).toBe(textOf(items.slice(1, 4).map((i) => i.line)));
    const gappy = [items[0]!, items[2]!, items[5]!];
    expect(bulkBody(gappy).toString('utf8')).toBe(textOf(gappy.map((i) => i.line)));
    items[1]!.doc = { ...items[1]!.doc, message: 'healed' };
    reserialize(items[1]!);
    expect(bulkBody(items.slice(0, 3)).toString('utf8')).toBe(textOf(items.slice(0, 3).map((i) => i.line)));
    expect(bulkBody([])).toHaveLength(0);
  });

  it('keeps every line whole when multi-byte text outgrows the first buffer', () => {
    const events = makeLogEvents(50).map((e, i) => ({ ...e, message: '€😀ü'.repeat(20 + i) }));
    const items = buildItems(events, () => 's');
    const lines = bulkBody(items).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    for (const [i, e] of events.entries()) expect(JSON.parse(lines[2 * i + 1] as string)).toEqual(e);
    for (const item of items) expect(item.bytes).toBe(Buffer.byteLength(item.line.toString('utf8')));
  });
});

describe('chunkItems', () => {
  const items = buildItems(makeLogEvents(10), () => 's');
  const size = items[0]!.bytes;

  it('keeps every request under the byte limit and the doc limit, in order', () => {
    const chunks = chunkItems(items, size * 3 + 10, 100);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat().map((i) => i.index)).toEqual(items.map((i) => i.index));
    expect(chunkItems(items, 1e9, 4).map((c) => c.length)).toEqual([4, 4, 2]);
  });

  it('sends an item larger than the limit alone', () => {
    expect(chunkItems(items.slice(0, 3), 10, 100).map((c) => c.length)).toEqual([1, 1, 1]);
  });

  it('returns nothing for nothing', () => {
    expect(chunkItems([], 100, 100)).toEqual([]);
  });
});

describe('splitInHalf', () => {
  it.each([
    [
      [1, 2, 3, 4],
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [
      [1, 2, 3],
      [[1, 2], [3]],
    ],
    [
      [1, 2],
      [[1], [2]],
    ],
  ])('splits %j into %j', (input, expected) => {
    expect(splitInHalf(input)).toEqual(expected);
  });
});

describe('buildItems on input that does not match the schema', () => {
  it.each([[null], [{}], [{ service: { name: 42 }, aws: {} }], [{ event: { id: 7 }, message: 'x' }]])(
    'does not throw for %j and still gives a deterministic id',
    (junk) => {
      const name = compileStreamNamer('sluice-logs', 'service');
      const [a] = buildItems([junk as never], name);
      const [b] = buildItems([structuredClone(junk) as never], name);
      expect(a!.target).toBe('sluice-logs-default');
      expect(a!.id).toBe(b!.id);
    },
  );
});
