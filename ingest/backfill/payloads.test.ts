import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CwlDataMessageSchema } from '../envelope.js';
import {
  type BackfillRecord,
  MAX_PAYLOAD_EVENTS,
  MAX_PAYLOAD_JSON_BYTES,
  PayloadPacker,
} from './payloads.js';

function pack(events: { logStream: string; message: string }[]) {
  const records: BackfillRecord[] = [];
  const packer = new PayloadPacker('123456789012', '/aws/lambda/orders', (r) => records.push(r));
  for (const [i, e] of events.entries())
    packer.add({ ...e, id: String(i).padStart(56, '0'), timestamp: 1714564800000 + i });
  packer.flush();
  const envelopes = records.map((r) =>
    CwlDataMessageSchema.parse(JSON.parse(gunzipSync(r.data).toString('utf8'))),
  );
  return { records, envelopes };
}

describe('backfill payloads', () => {
  it('one payload per log stream, events in order with their ids and times', () => {
    const { records, envelopes } = pack([
      { logStream: 'a', message: 'one' },
      { logStream: 'b', message: 'two "quoted"\n' },
      { logStream: 'a', message: 'three' },
    ]);
    expect(envelopes.map((e) => [e.logStream, e.logEvents.map((l) => l.message)])).toEqual([
      ['a', ['one', 'three']],
      ['b', ['two "quoted"\n']],
    ]);
    expect(envelopes[0]).toMatchObject({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/orders',
      subscriptionFilters: ['sluice-backfill'],
    });
    expect(envelopes[0]?.logEvents[1]).toEqual({
      id: `${'0'.repeat(55)}2`,
      timestamp: 1714564800002,
      message: 'three',
    });
    // One stream, one partition key; another stream, another.
    expect(records[0]?.partitionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(records[0]?.partitionKey).not.toBe(records[1]?.partitionKey);
    expect(records.map((r) => r.events)).toEqual([2, 1]);
  });

  it('splits a stream into payloads that each fit a Kinesis record, even incompressible ones', () => {
    // 200 KB of random base64 per event: gzip cannot shrink it much.
    const big = () => randomBytes(150_000).toString('base64');
    const { records, envelopes } = pack(
      Array.from({ length: 12 }, () => ({ logStream: 'a', message: big() })),
    );
    expect(envelopes.flatMap((e) => e.logEvents)).toHaveLength(12);
    expect(records.length).toBeGreaterThan(2);
    for (const r of records) {
      expect(gunzipSync(r.data).length).toBeLessThanOrEqual(MAX_PAYLOAD_JSON_BYTES);
      expect(r.bytes).toBeLessThanOrEqual(1024 * 1024);
    }
    // Ids stay in order across the split.
    const ids = envelopes.flatMap((e) => e.logEvents.map((l) => Number(l.id)));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('caps the events in one payload', () => {
    const records: BackfillRecord[] = [];
    const packer = new PayloadPacker('1', 'g', (r) => records.push(r));
    for (let i = 0; i < MAX_PAYLOAD_EVENTS + 5; i++)
      packer.add({ logStream: 'a', id: String(i), timestamp: i, message: 'x' });
    packer.flush();
    expect(records.map((r) => r.events)).toEqual([MAX_PAYLOAD_EVENTS, 5]);
  });
});
