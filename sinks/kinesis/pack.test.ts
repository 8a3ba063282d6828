import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeLogEvent } from '../../test/factories/kinesis.js';
import { decodeEventsRecord } from './codec.js';
import {
  batchRecords,
  DEFAULT_PARTITION_BUCKETS,
  KINESIS_LIMITS,
  packEvents,
  partitionKeyFor,
  partitionKeyOf,
  transactionKeyOf,
} from './pack.js';

describe('transactionKeyOf', () => {
  it('uses transaction.id when the event has one', () => {
    expect(transactionKeyOf(makeLogEvent(1, { transactionId: 'tx-1' }))).toBe('tx-1');
  });
  it('falls back to event.id without a transaction', () => {
    expect(transactionKeyOf(makeLogEvent(7))).toBe('evt-00000007');
  });
  it('falls back to event.id when the transaction id is empty', () => {
    expect(transactionKeyOf(makeLogEvent(7, { transactionId: '' }))).toBe('evt-00000007');
  });
  it('hashes keys longer than 256 characters, deterministically', () => {
    const long = 'x'.repeat(300);
    const key = transactionKeyOf(makeLogEvent(1, { transactionId: long }));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(transactionKeyOf(makeLogEvent(2, { transactionId: long }))).toBe(key);
  });
});

describe('partitionKeyOf', () => {
  it('is the transaction key itself with 0 buckets', () => {
    expect(partitionKeyOf(makeLogEvent(1, { transactionId: 'tx-1' }), 0)).toBe('tx-1');
  });
  it('puts every event of a transaction in one bucket, the same on every call', () => {
    const key = partitionKeyOf(makeLogEvent(1, { transactionId: 'tx-1' }));
    expect(key).toMatch(/^sluice-\d+$/);
    expect(partitionKeyOf(makeLogEvent(2, { transactionId: 'tx-1' }))).toBe(key);
    expect(partitionKeyFor('tx-1')).toBe(key);
  });
  it('spreads transactions over all the buckets, roughly evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 12_800; i++) {
      const k = partitionKeyFor(`tx-${i}`);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(DEFAULT_PARTITION_BUCKETS);
    // 100 expected per bucket; a uniform hash stays well within these bounds
    expect(Math.min(...counts.values())).toBeGreaterThan(50);
    expect(Math.max(...counts.values())).toBeLessThan(150);
  });
});

describe('packEvents', () => {
  it('puts the events of one transaction into one record, in input order', () => {
    const events = [
      makeLogEvent(1, { transactionId: 'a' }),
      makeLogEvent(2, { transactionId: 'b' }),
      makeLogEvent(3, { transactionId: 'a' }),
    ];
    const { records, tooLarge } = packEvents(events, { partitionBuckets: 0 });
    expect(tooLarge).toEqual([]);
    expect(records.map((r) => [r.partitionKey, r.indexes])).toEqual([
      ['a', [0, 2]],
      ['b', [1]],
    ]);
    const decoded = decodeEventsRecord(records[0]!.data);
    expect(decoded.bad).toEqual([]);
    expect(decoded.events).toEqual([events[0], events[2]]);
  });

  it('by default packs many transactions into one record per bucket', () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      makeLogEvent(i, { transactionId: `tx-${i % 250}` }),
    );
    const { records } = packEvents(events);
    expect(records.length).toBeLessThanOrEqual(DEFAULT_PARTITION_BUCKETS);
    expect(records.length).toBeGreaterThan(DEFAULT_PARTITION_BUCKETS / 2);
    for (const r of records) {
      const txs = decodeEventsRecord(r.data).events.map((e) => e.transaction?.id ?? '');
      for (const tx of txs) expect(partitionKeyFor(tx)).toBe(r.partitionKey);
    }
    // every transaction lands in exactly one record, in input order
    const byTx = new Map<string, string>();
    for (const r of records)
      for (const i of r.indexes) {
        const tx = events[i]!.transaction!.id;
        expect(byTx.get(tx) ?? r.partitionKey).toBe(r.partitionKey);
        byTx.set(tx, r.partitionKey);
      }
    expect(records.flatMap((r) => r.indexes).sort((a, b) => a - b)).toEqual([...events.keys()]);
  });

  it('gzips each record by default (smaller, same events) and writes plain NDJSON with compression none', () => {
    const events = Array.from({ length: 200 }, (_, i) => makeLogEvent(i, { transactionId: `tx-${i % 3}` }));
    const gz = packEvents(events, { partitionBuckets: 0 });
    const plain = packEvents(events, { partitionBuckets: 0, compression: 'none' });
    expect(gz.records.map((r) => r.indexes)).toEqual(plain.records.map((r) => r.indexes));
    gz.records.forEach((r, i) => {
      expect([r.data[0], r.data[1]]).toEqual([0x1f, 0x8b]);
      expect(gunzipSync(r.data)).toEqual(Buffer.from(plain.records[i]!.data));
      expect(r.bytes).toBe(r.data.byteLength + Buffer.byteLength(r.partitionKey));
      expect(r.bytes * 3).toBeLessThan(plain.records[i]!.bytes);
      expect(decodeEventsRecord(r.data).events).toEqual(r.indexes.map((k) => events[k]));
    });
    expect(plain.records[0]!.data[0]).toBe(0x7b); // '{'
  });

  it('never makes a record larger than its plain NDJSON (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 5 }), (messages) => {
        const events = messages.map((m, i) => makeLogEvent(i, { transactionId: 't', message: m }));
        const gz = packEvents(events, { partitionBuckets: 0 }).records;
        const plain = packEvents(events, { partitionBuckets: 0, compression: 'none' }).records;
        gz.forEach((r, i) => {
          expect(r.bytes).toBeLessThanOrEqual(plain[i]!.bytes);
          expect(decodeEventsRecord(r.data).events).toEqual(r.indexes.map((k) => events[k]));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('starts a new record when the next event would pass the record limit', () => {
    const events = Array.from({ length: 10 }, (_, i) =>
      makeLogEvent(i, { transactionId: 'tx', message: 'm'.repeat(300) }),
    );
    const lineBytes = Buffer.byteLength(`${JSON.stringify(events[0])}\n`);
    const max = lineBytes * 3 + 2; // key 'tx' is 2 bytes: exactly three lines fit
    const { records } = packEvents(events, { maxRecordBytes: max, partitionBuckets: 0 });
    expect(records.map((r) => r.indexes.length)).toEqual([3, 3, 3, 1]);
    for (const r of records) expect(r.data.byteLength + 2).toBeLessThanOrEqual(max);
    expect(records.flatMap((r) => r.indexes)).toEqual([...events.keys()]);
  });

  it('reports an event that alone exceeds the limit and still packs its neighbours', () => {
    const events = [makeLogEvent(0), makeLogEvent(1, { message: 'x'.repeat(2000) }), makeLogEvent(2)];
    const { records, tooLarge } = packEvents(events, { maxRecordBytes: 1500 });
    expect(tooLarge).toEqual([1]);
    expect(records.flatMap((r) => r.indexes).sort()).toEqual([0, 2]);
  });

  it('counts the partition key against the record limit', () => {
    const event = makeLogEvent(0, { transactionId: 'k'.repeat(200) });
    const lineBytes = Buffer.byteLength(`${JSON.stringify(event)}\n`);
    const one = (max: number) => packEvents([event], { maxRecordBytes: max, partitionBuckets: 0 });
    expect(one(lineBytes + 199).tooLarge).toEqual([0]);
    expect(one(lineBytes + 200).tooLarge).toEqual([]);
  });

  it('keeps every event exactly once and within the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            tx: fc.option(fc.constantFrom('a', 'b', 'c', 'é'), { nil: undefined }),
            size: fc.nat(600),
          }),
          {
            maxLength: 60,
          },
        ),
        fc.integer({ min: 400, max: 3000 }),
        (specs, max) => {
          const events = specs.map((s, i) =>
            makeLogEvent(i, { transactionId: s.tx, message: 'ü'.repeat(s.size) }),
          );
          const { records, tooLarge } = packEvents(events, { maxRecordBytes: max });
          const seen = [...records.flatMap((r) => r.indexes), ...tooLarge].sort((x, y) => x - y);
          expect(seen).toEqual([...events.keys()]);
          for (const r of records) {
            expect(r.bytes).toBe(r.data.byteLength + Buffer.byteLength(r.partitionKey));
            expect(r.bytes).toBeLessThanOrEqual(max);
            expect(decodeEventsRecord(r.data).events).toEqual(r.indexes.map((i) => events[i]));
          }
        },
      ),
    );
  });
});

describe('batchRecords', () => {
  const rec = (bytes: number) => ({ bytes });
  it('caps a request at 500 records', () => {
    const batches = batchRecords(Array.from({ length: 1201 }, () => rec(10)));
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
  });
  it('caps a request at 5 MiB', () => {
    const mib = 1024 * 1024;
    const batches = batchRecords([rec(mib), rec(mib), rec(mib), rec(mib), rec(mib), rec(1)]);
    expect(batches.map((b) => b.length)).toEqual([5, 1]);
    expect(KINESIS_LIMITS.maxRequestBytes).toBe(5 * mib);
  });
  it('returns no request for no records', () => {
    expect(batchRecords([])).toEqual([]);
  });
});
