import { gzipSync } from 'node:zlib';
import { seededRandom as rng } from '../../core/random.js';
import { encodeCwlData, makeEnvelope } from './cwl.js';

/** A hostile raw log line (the message of one CloudWatch log event, or one input line). */
export interface HostileLine {
  readonly name: string;
  readonly line: string;
}

/** A hostile record payload (the base64 `data` of a Kinesis / Firehose record or `awslogs.data`). */
export interface HostilePayload {
  readonly name: string;
  readonly data: string;
}

const deep = (n: number, open: string, close: string, inner = '1'): string =>
  open.repeat(n) + inner + close.repeat(n);

function randomBytes(seed: number, n: number): Buffer {
  const r = rng(seed);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * 256);
  return out;
}

/**
 * The fuzz corpus of hostile log lines: what a broken or malicious component can write. Each must
 * give a valid LogEvent (never an exception). Deterministic.
 */
export function hostileLines(): HostileLine[] {
  const tenThousandKeys = `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  return [
    { name: 'random bytes decoded as UTF-8', line: randomBytes(1, 4096).toString('utf8') },
    {
      name: 'invalid UTF-8 (lone continuation bytes, replaced)',
      line: Buffer.from([0x7b, 0x80, 0xbf, 0xc3, 0x28, 0x7d]).toString('utf8'),
    },
    { name: 'lone surrogates in JSON', line: '{"msg":"\\ud800\\udfff\\ud800","level":"info"}' },
    { name: 'NUL and control characters', line: 'a\u0000b\u0001c\u001bd' },
    { name: '1 MB plain text line', line: 'z'.repeat(1024 * 1024) },
    { name: '1 MB JSON line', line: JSON.stringify({ msg: 'big', blob: 'y'.repeat(1024 * 1024) }) },
    { name: '1 MB cut-off JSON line', line: `{"msg":"cut","blob":"${'y'.repeat(1024 * 1024)}` },
    { name: '10,000-deep arrays', line: `{"a":${deep(10_000, '[', ']')}}` },
    { name: '10,000-deep objects', line: deep(10_000, '{"a":', '}') },
    { name: '100,000-deep unterminated', line: '['.repeat(100_000) },
    { name: '10,000 keys', line: tenThousandKeys },
    { name: '__proto__ key', line: '{"msg":"x","__proto__":{"polluted":"yes"}}' },
    {
      name: 'constructor.prototype keys',
      line: '{"msg":"x","constructor":{"prototype":{"polluted":"yes"}}}',
    },
    { name: '__proto__ as the error object', line: '{"err":{"__proto__":{"polluted":"yes"},"message":"m"}}' },
    {
      name: '__proto__ in platform record',
      line: '{"type":"platform.report","record":{"__proto__":{"polluted":"yes"}}}',
    },
    {
      name: 'unsafe integer transaction id',
      line: '{"msg":"x","transactionId":123456789012345678901234567890}',
    },
    { name: 'unsafe negative integer id', line: '{"msg":"x","correlationId":-98765432109876543210}' },
    { name: 'huge float in level and time', line: '{"level":1e308,"time":1e308,"msg":"x"}' },
    {
      name: 'wrong types everywhere',
      line: '{"level":{},"time":[],"msg":{"a":1},"service":7,"err":"","transactionId":{},"traceId":5}',
    },
    {
      name: 'Lambda text with hostile JSON',
      line: `2024-05-01T12:00:00.000Z\tabc\tINFO\t${deep(10_000, '{"a":', '}')}`,
    },
    {
      name: 'Lambda JSON wrapping a deep message',
      line: JSON.stringify({ timestamp: 1, level: 'INFO', requestId: 'r', message: deep(5000, '[', ']') }),
    },
    {
      name: 'REPORT with absurd figures',
      line: 'REPORT RequestId: x\tDuration: 1e999 ms\tBilled Duration: -0 ms\tMemory Size: NaN MB',
    },
    { name: 'JSON string literal', line: '"just a string"' },
    { name: 'JSON null', line: 'null' },
    { name: 'stack trace with 10,000 frames', line: `Error: x${'\n    at f (a.js:1:1)'.repeat(10_000)}` },
  ];
}

/**
 * The fuzz corpus of hostile record payloads: random bytes, truncated gzip, gzip of non-JSON,
 * valid JSON of the wrong shape, a decompression bomb, invalid UTF-8, deep nesting. Each must
 * give a typed `IngestError` (or, for the last ones, a valid envelope). Deterministic.
 */
export function hostilePayloads(): HostilePayload[] {
  const good = gzipSync(JSON.stringify(makeEnvelope(['ok'])));
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  return [
    { name: 'random bytes', data: b64(randomBytes(2, 1000)) },
    {
      name: 'random bytes after a gzip header',
      data: b64(Buffer.concat([good.subarray(0, 10), randomBytes(3, 200)])),
    },
    { name: 'truncated gzip', data: b64(good.subarray(0, good.length - 12)) },
    { name: 'gzip without its trailer', data: b64(good.subarray(0, good.length - 4)) },
    { name: 'gzip of non-JSON', data: encodeCwlData(Buffer.from('hello, this is not JSON')) },
    { name: 'gzip of nothing', data: encodeCwlData(Buffer.alloc(0)) },
    {
      name: 'gzip of invalid UTF-8',
      data: encodeCwlData(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
    },
    { name: 'gzip of JSON null', data: encodeCwlData(null) },
    { name: 'gzip of a JSON string', data: encodeCwlData('DATA_MESSAGE') },
    {
      name: 'JSON of the wrong shape',
      data: encodeCwlData({ messageType: 'DATA_MESSAGE', logEvents: 'nope' }),
    },
    {
      name: 'log events of the wrong shape',
      data: encodeCwlData({ ...makeEnvelope([]), logEvents: [null, 1, 'x'] }),
    },
    { name: '10,000-deep nesting', data: encodeCwlData(Buffer.from(deep(10_000, '{"a":', '}'))) },
    { name: '100,000-deep arrays', data: encodeCwlData(Buffer.from(deep(100_000, '[', ']'))) },
    { name: 'decompression bomb (64 MiB of zeros)', data: b64(gzipSync(Buffer.alloc(64 * 1024 * 1024))) },
    {
      name: '__proto__ envelope',
      data: encodeCwlData(Buffer.from('{"__proto__":{"messageType":"DATA_MESSAGE"}}')),
    },
    { name: 'not base64', data: '%%%%' },
    { name: 'empty', data: '' },
  ];
}
