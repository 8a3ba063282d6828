import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeLogEvent, makeLogEvents, uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, lettersIn, searchAll } from '../../test/factories/opensearch.js';
import { generateKinesisPayloads } from '../../test/factories/payloads.js';
import { compileNormalizer } from '../../transform/normalize.js';
import type { LogEvent } from '../../transform/schema.js';
import { createFileDeadLetterStore } from '../dead-letters/file-store.js';
import { decodeEventsRecord } from '../kinesis/codec.js';
import { packEvents } from '../kinesis/pack.js';
import { encodeEvent } from './body.js';
import { createOpenSearchSink, type OpenSearchSink } from './sink.js';

// The same batch written twice to the shared real node, under two unique prefixes: as objects
// (`write`) and as JSON text forwarded as it came (`writeEncoded`). The node must end up with the
// same documents under the same `_id`s, and the sink must report, heal, bound and dead-letter alike.
const node = inject('opensearchUrl');
const segment = uniqueSegment('enc');
const prefixes = {
  objects: `sluice-logs-${segment}o`,
  encoded: `sluice-logs-${segment}e`,
  // The events stream's round trip (below): normalised events written as objects / through the codec.
  normalised: `sluice-logs-${segment}n`,
  stream: `sluice-logs-${segment}s`,
};
let dir: string;
const sinks: Record<string, OpenSearchSink> = {};

const big = (c: string, n: number): string => c.repeat(n);
const events: LogEvent[] = [
  ...makeLogEvents(30),
  ...makeLogEvents(5, { service: { name: 'Billing API' }, message: 'ü€😀 multi-byte' }, 1000),
  makeLogEvent(2001, { route: 'audit' }),
  // Healed in place: a mapping conflict and an unknown top-level field.
  makeLogEvent(3001, {
    lambda: { platform: 'report', report: { duration_ms: 'slow' as unknown as number } },
  }),
  { ...makeLogEvent(3002), colour: 'red' } as LogEvent,
  // Bounded before sending: attribute values too long to index.
  makeLogEvent(4001, {
    attributes: { http: { body: `begin ${big('x', 40_000)} end` }, list: ['a', big('y', 33_000)] },
  }),
  // Dead-lettered: the cluster refuses it for good.
  makeLogEvent(5001, { '@timestamp': 'not-a-date' }),
];
// The text an events-stream line carries, in another key order than JSON.stringify of the object
// (so a re-serialisation would show): forwarded as it is.
const lines = events.map((e) => JSON.stringify(Object.fromEntries(Object.entries(e).reverse())));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-encoded-it-'));
  for (const [name, prefix] of Object.entries(prefixes)) {
    sinks[name] = createOpenSearchSink({
      node,
      indexPrefix: prefix,
      config: { replicas: 0, retry_budget_ms: 5_000, max_bulk_docs: 7 },
      deadLetters: createFileDeadLetterStore(path.join(dir, `${name}.ndjson`)),
    });
  }
});
afterAll(async () => {
  for (const sink of Object.values(sinks)) await sink.close();
  for (const prefix of Object.values(prefixes)) await dropPrefix(node, prefix);
  await rm(dir, { recursive: true, force: true });
});

describe('writeEncoded (events already serialised, forwarded as they came)', () => {
  it('indexes the same documents under the same _ids as write, with the same report and dead letters', async () => {
    const byObject = await (sinks.objects as OpenSearchSink).write(events);
    const byText = await (sinks.encoded as OpenSearchSink).writeEncoded(
      events.map((e, i) => encodeEvent(e, lines[i])),
    );
    expect(byText.results).toEqual(byObject.results);
    expect(byText.results.filter((r) => r === 'indexed')).toHaveLength(events.length - 1);
    expect(byText.results[events.length - 1]).toBe('dead_lettered');
    expect(byText.healed).toBe(byObject.healed);
    expect(byText.healed).toBe(3);
    expect(byText.failures).toEqual(byObject.failures);

    const docs = async (prefix: string) => {
      const hits = await searchAll(node, prefix);
      return new Map(hits.map((h) => [h.id, h.source]));
    };
    const [objects, encoded] = [await docs(prefixes.objects), await docs(prefixes.encoded)];
    expect(encoded.size).toBe(events.length - 1);
    expect([...encoded.keys()].sort()).toEqual([...objects.keys()].sort());
    for (const [id, source] of encoded) expect(source).toEqual(objects.get(id));
    const streams = new Set([...encoded.values()].map((s) => (s.service as { name: string }).name));
    expect(streams).toEqual(new Set(['orders', 'Billing API']));

    const letters = await lettersIn(path.join(dir, 'encoded.ndjson'));
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      stage: 'sink',
      original: events[events.length - 1],
      error: { code: 'OPENSEARCH_DOCUMENT_REJECTED' },
    });
  });

  it('counts a replay of the same lines as duplicates (the _id of the text is the _id of the event)', async () => {
    const again = await (sinks.encoded as OpenSearchSink).writeEncoded(
      events.slice(0, 36).map((e) => encodeEvent(e)),
    );
    expect(again.counts).toEqual({ indexed: 0, duplicate: 36, dead_lettered: 0, not_delivered: 0 });
    const crossed = await (sinks.objects as OpenSearchSink).writeEncoded(
      events.slice(0, 36).map((e, i) => encodeEvent(e, lines[i])),
    );
    expect(crossed.counts.duplicate).toBe(36);
  });
});

describe('through the events stream (packEvents → decodeEventsRecord → writeEncoded, the two Lambdas)', () => {
  it('indexes the normaliser’s events as the same documents under the same _ids as write', async () => {
    // The realistic generator: every log family, multi-byte text, lines large enough to be bounded.
    const normalizer = compileNormalizer({ now: () => new Date(Date.UTC(2024, 4, 1, 12, 5)) });
    const normalised = generateKinesisPayloads({ seed: 16, records: 12, eventsPerRecord: 50 }).flatMap((p) =>
      normalizer.envelope(p.envelope),
    );
    const packed = packEvents(normalised);
    expect(packed.tooLarge).toEqual([]);
    const forwarded = packed.records.flatMap((record) => {
      const decoded = decodeEventsRecord(record.data);
      expect(decoded.bad).toEqual([]);
      return decoded.events.map((e, k) => encodeEvent(e, decoded.lines[k]));
    });
    expect(forwarded).toHaveLength(normalised.length);

    const byObject = await (sinks.normalised as OpenSearchSink).write(normalised);
    const byStream = await (sinks.stream as OpenSearchSink).writeEncoded(forwarded);
    expect(byObject.counts.indexed).toBe(normalised.length);
    expect(byStream.counts).toEqual(byObject.counts);
    expect(byStream.healed).toBe(byObject.healed);

    const docs = async (prefix: string) =>
      new Map((await searchAll(node, prefix)).map((h) => [h.id, h.source]));
    const [objects, stream] = [await docs(prefixes.normalised), await docs(prefixes.stream)];
    expect(stream.size).toBe(normalised.length);
    expect([...stream.keys()].sort()).toEqual([...objects.keys()].sort());
    for (const [id, source] of stream) expect(source).toEqual(objects.get(id));
  });
});
