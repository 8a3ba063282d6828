import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  awslogsEventOf,
  CONTROL_MESSAGE,
  encodeCwlData,
  firehoseEventOf,
  kinesisEventOf,
  makeEnvelope,
} from '../test/factories/cwl.js';
import { decodeAwslogsEvent, decodeFirehoseEvent, decodeKinesisEvent } from './aws-events.js';
import { type DecodeResult, decodeCwlData, decodeEnvelopeJson } from './decode.js';
import { INGEST_ERROR_CODES as C, IngestError } from './errors.js';

const envelope = makeEnvelope(['{"msg":"hello"}', 'plain text']);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const codeOf = (r: DecodeResult): string | undefined => (r.kind === 'error' ? r.error.code : undefined);

describe('decodeCwlData', () => {
  it('decodes a base64 gzip DATA_MESSAGE into the envelope', () => {
    const r = decodeCwlData(encodeCwlData(envelope));
    expect(r).toEqual({ kind: 'data', envelope });
  });

  it('decodes raw gzip bytes (Kinesis GetRecords data) the same way', () => {
    const r = decodeCwlData(new Uint8Array(gzipSync(JSON.stringify(envelope))));
    expect(r).toEqual({ kind: 'data', envelope });
  });

  it('accepts an uncompressed JSON payload (Firehose with decompression enabled)', () => {
    const r = decodeCwlData(b64(Buffer.from(` ${JSON.stringify(envelope)}`)));
    expect(r).toEqual({ kind: 'data', envelope });
  });

  it('recognises a CONTROL_MESSAGE and skips it explicitly', () => {
    expect(decodeCwlData(encodeCwlData(CONTROL_MESSAGE))).toEqual({ kind: 'control' });
  });

  it('keeps extra fields of log events (extractedFields) and policyLevel', () => {
    const env = { ...envelope, policyLevel: 'ACCOUNT_LEVEL_POLICY' };
    env.logEvents = [{ ...envelope.logEvents[0]!, extractedFields: { a: 'b' } }];
    const r = decodeCwlData(encodeCwlData(env));
    expect(r.kind === 'data' && r.envelope).toEqual(env);
  });

  describe.each<[string, string | Uint8Array, string]>([
    ['text that is not base64', 'not base64 at all!', C.base64Invalid],
    ['base64 without padding', 'H4sIAAAAAAAAA', C.base64Invalid],
    ['empty data', '', C.notGzip],
    ['random bytes', b64(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe])), C.notGzip],
    ['truncated gzip', b64(gzipSync(JSON.stringify(envelope)).subarray(0, 30)), C.gzipInvalid],
    [
      'gzip with a corrupt body',
      b64(Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(20, 0xff)])),
      C.gzipInvalid,
    ],
    ['gzip of non-JSON text', encodeCwlData(Buffer.from('this is not json')), C.jsonInvalid],
    [
      'gzip of invalid UTF-8',
      encodeCwlData(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
      C.utf8Invalid,
    ],
    ['gzip of a JSON array', encodeCwlData([1, 2, 3]), C.envelopeInvalid],
    ['gzip of JSON of the wrong shape', encodeCwlData({ hello: 'world' }), C.envelopeInvalid],
    ['an unknown messageType', encodeCwlData({ ...envelope, messageType: 'OTHER' }), C.envelopeInvalid],
    [
      'a log event whose message is a number',
      encodeCwlData({ ...envelope, logEvents: [{ id: '1', timestamp: 1, message: 42 }] }),
      C.envelopeInvalid,
    ],
    [
      'JSON nested 100,000 deep',
      encodeCwlData(Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)),
      C.envelopeInvalid,
    ],
  ])('%s', (_name, data, code) => {
    it(`gives a typed ${code} error and does not throw`, () => {
      const r = decodeCwlData(data);
      expect(codeOf(r)).toBe(code);
      expect(r.kind === 'error' && r.error).toBeInstanceOf(IngestError);
    });
  });

  it('bounds the decompressed size (decompression bomb) with a typed error', () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)); // 8 MiB of spaces → ~8 KB of gzip
    const r = decodeCwlData(bomb, { maxDecompressedBytes: 1024 * 1024 });
    expect(codeOf(r)).toBe(C.tooLarge);
    expect(r.kind === 'error' && r.error.message).toContain('1048576');
  });

  it('decodes whatever size the gzip trailer announces, and stays bounded when it lies', () => {
    const gz = gzipSync(JSON.stringify(envelope));
    for (const announced of [0, 10, 0xffffffff]) {
      const lying = Buffer.from(gz);
      lying.writeUInt32LE(announced, lying.length - 4);
      // zlib checks ISIZE at the end of the stream: a wrong one is a corrupt payload, never a crash.
      expect(decodeCwlData(b64(lying)).kind).toBe('error');
    }
    expect(decodeCwlData(b64(gz))).toEqual({ kind: 'data', envelope });
    const bomb = Buffer.from(gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)));
    bomb.writeUInt32LE(100, bomb.length - 4);
    expect(codeOf(decodeCwlData(bomb, { maxDecompressedBytes: 1024 * 1024 }))).toBe(C.tooLarge);
  });

  it('never echoes payload content in error messages', () => {
    const secret = 'password=hunter2';
    const cases = [
      encodeCwlData(Buffer.from(secret)),
      encodeCwlData({
        messageType: 'DATA_MESSAGE',
        owner: secret,
        logGroup: 1,
        logEvents: [{ message: secret }],
      }),
      `${secret}!!`,
    ];
    for (const data of cases) {
      const r = decodeCwlData(data);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') expect(r.error.message).not.toContain('hunter2');
    }
  });

  it('lists the schema problems by path', () => {
    const r = decodeEnvelopeJson(JSON.stringify({ ...envelope, logGroup: 7, logEvents: [{ id: 'x' }] }));
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    const paths = r.error.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['.logGroup', '.logEvents[0].timestamp', '.logEvents[0].message']),
    );
  });
});

describe('Lambda event decoders', () => {
  const good = encodeCwlData(envelope);
  const bad = encodeCwlData({ nope: true });

  it('decodes every Kinesis record independently: a bad one never harms its neighbours', () => {
    const results = decodeKinesisEvent(kinesisEventOf([good, bad, encodeCwlData(CONTROL_MESSAGE), good]));
    expect(results.map((r) => r.result.kind)).toEqual(['data', 'error', 'control', 'data']);
    expect(results[0]!.partitionKey).toBe('pk-0');
    expect(results[1]!.sequenceNumber).toMatch(/^\d{50,}$/);
    expect(results[3]!.result).toEqual({ kind: 'data', envelope });
  });

  it('reports a Kinesis record without data as a typed error', () => {
    const event = kinesisEventOf([good]);
    (event.Records[0]!.kinesis as { data?: unknown }).data = undefined;
    expect(codeOf(decodeKinesisEvent(event)[0]!.result)).toBe(C.recordInvalid);
  });

  it('decodes Firehose records with their record ids', () => {
    const results = decodeFirehoseEvent(firehoseEventOf([bad, good]));
    expect(results.map((r) => [r.recordId, r.result.kind])).toEqual([
      ['record-0', 'error'],
      ['record-1', 'data'],
    ]);
  });

  it('decodes a CloudWatch Logs → Lambda awslogs event', () => {
    expect(decodeAwslogsEvent(awslogsEventOf(good))).toEqual({ kind: 'data', envelope });
    expect(codeOf(decodeAwslogsEvent({} as never))).toBe(C.recordInvalid);
  });

  it('returns no results for an event without records', () => {
    expect(decodeKinesisEvent({} as never)).toEqual([]);
    expect(decodeFirehoseEvent(null as never)).toEqual([]);
  });
});
