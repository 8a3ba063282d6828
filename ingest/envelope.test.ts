import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeCwlData } from './decode.js';

const payload = (id: unknown) => ({
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: '/aws/lambda/fn',
  logStream: 's',
  subscriptionFilters: ['f'],
  logEvents: [{ id, timestamp: 1_714_564_800_000, message: 'hello' }],
});

describe('CWL envelope event ids', () => {
  it('turns the numeric ids the moto emulator sends into digit strings', () => {
    const result = decodeCwlData(gzipSync(JSON.stringify(payload(42))));
    expect(result.kind).toBe('data');
    if (result.kind === 'data') expect(result.envelope.logEvents[0]!.id).toBe('42');
  });

  it.each([[-1], [1.5], [null]])('still rejects the id %j', (id) => {
    expect(decodeCwlData(gzipSync(JSON.stringify(payload(id)))).kind).toBe('error');
  });
});
