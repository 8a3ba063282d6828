import { describe, expect, it } from 'vitest';
import { makeLogEvent } from '../../test/factories/kinesis.js';
import { decodeEventsRecord } from './codec.js';

describe('decodeEventsRecord', () => {
  it('decodes base64 NDJSON of LogEvents', () => {
    const events = [makeLogEvent(1), makeLogEvent(2)];
    const b64 = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n')).toString('base64');
    expect(decodeEventsRecord(b64)).toEqual({ events, bad: [] });
  });

  it('isolates a line that is not JSON and keeps its neighbours', () => {
    const text = `${JSON.stringify(makeLogEvent(1))}\n{not json password=hunter2\n${JSON.stringify(makeLogEvent(2))}\n`;
    const { events, bad } = decodeEventsRecord(new TextEncoder().encode(text));
    expect(events.map((e) => e.event.id)).toEqual(['evt-00000001', 'evt-00000002']);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.line).toBe(2);
    expect(bad[0]!.error.code).toBe('KINESIS_RECORD_INVALID');
    expect(bad[0]!.error.message).not.toContain('hunter2');
    expect(Buffer.from(bad[0]!.data, 'base64').toString()).toBe('{not json password=hunter2');
  });

  it('rejects JSON that is not a LogEvent, naming the paths but not the content', () => {
    const { events, bad } = decodeEventsRecord(Buffer.from('{"message":"secret-value"}'));
    expect(events).toEqual([]);
    expect(bad[0]!.error.message).toContain('@timestamp');
    expect(bad[0]!.error.message).not.toContain('secret-value');
  });
});
