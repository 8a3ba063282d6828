import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeLogEvent } from '../../test/factories/kinesis.js';
import { decodeEventsRecord, MAX_EVENTS_RECORD_BYTES } from './codec.js';

describe('decodeEventsRecord', () => {
  it('decodes base64 NDJSON of LogEvents', () => {
    const events = [makeLogEvent(1), makeLogEvent(2)];
    const lines = events.map((e) => JSON.stringify(e));
    const b64 = Buffer.from(lines.join('\n')).toString('base64');
    expect(decodeEventsRecord(b64)).toEqual({ events, lines, bad: [] });
  });

  it('isolates a line that is not JSON and keeps its neighbours', () => {
    const text = `${JSON.stringify(makeLogEvent(1))}\n{not json password=hunter2\n${JSON.stringify(makeLogEvent(2))}\n`;
    const { events, lines, bad } = decodeEventsRecord(new TextEncoder().encode(text));
    expect(events.map((e) => e.event.id)).toEqual(['evt-00000001', 'evt-00000002']);
    expect(lines).toEqual([JSON.stringify(makeLogEvent(1)), JSON.stringify(makeLogEvent(2))]);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.line).toBe(2);
    expect(bad[0]!.error.code).toBe('KINESIS_RECORD_INVALID');
    expect(bad[0]!.error.message).not.toContain('hunter2');
    expect(Buffer.from(bad[0]!.data, 'base64').toString()).toBe('{not json password=hunter2');
  });

  it('rejects JSON that is not a LogEvent, naming the paths but not the content', () => {
    const { events, lines, bad } = decodeEventsRecord(Buffer.from('{"message":"secret-value"}'));
    expect(events).toEqual([]);
    expect(lines).toEqual([]);
    expect(bad[0]!.error.message).toContain('@timestamp');
    expect(bad[0]!.error.message).not.toContain('secret-value');
  });

  it('inflates a gzip record (the writer default) and reads it like plain NDJSON', () => {
    const events = [makeLogEvent(1), makeLogEvent(2)];
    const lines = events.map((e) => JSON.stringify(e));
    const gz = gzipSync(lines.map((l) => `${l}\n`).join(''));
    expect(decodeEventsRecord(gz)).toEqual({ events, lines, bad: [] });
    expect(decodeEventsRecord(gz.toString('base64'))).toEqual({ events, lines, bad: [] });
  });

  it('dead-letters a record that starts like gzip but is not, whole and with the reason', () => {
    const broken = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('password=hunter2')]);
    const { events, bad } = decodeEventsRecord(broken);
    expect(events).toEqual([]);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ line: 0, data: broken.toString('base64') });
    expect(bad[0]!.error.code).toBe('KINESIS_RECORD_INVALID');
    expect(bad[0]!.error.message).toMatch(/does not inflate.*expected gzip of NDJSON LogEvents/);
    expect(bad[0]!.error.message).not.toContain('hunter2');
  });

  it('stops a gzip bomb at the inflated-size bound', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_EVENTS_RECORD_BYTES + 1, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const { events, bad } = decodeEventsRecord(bomb);
    expect(events).toEqual([]);
    expect(bad[0]!.error.message).toMatch(/inflates past 8388608 bytes/);
  });

  it('gives each valid event the exact text it was parsed from, byte for byte (what the sink forwards)', () => {
    const e = makeLogEvent(1);
    const spaced = `{ "message" : ${JSON.stringify(e.message)},${JSON.stringify(e)
      .slice(1)
      .replace(`"message":${JSON.stringify(e.message)},`, '')}`;
    const { events, lines, bad } = decodeEventsRecord(
      Buffer.from(`${spaced}\n\n${JSON.stringify(makeLogEvent(2))}`),
    );
    expect(bad).toEqual([]);
    expect(events).toEqual([e, makeLogEvent(2)]);
    expect(lines).toEqual([spaced, JSON.stringify(makeLogEvent(2))]);
  });
});
