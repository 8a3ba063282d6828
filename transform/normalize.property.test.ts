import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileNormalizer } from './normalize.js';
import { LogEventSchema } from './schema.js';

const normalizer = compileNormalizer({ now: () => new Date('2024-05-01T12:00:00.000Z') });
const ctx = { logGroup: '/aws/lambda/prop', logStream: 's', owner: '123456789012' };
const normalize = (message: string) => normalizer.event({ id: 'e', timestamp: 1714564800000, message }, ctx);

const valid = (message: string): void => {
  const event = normalize(message);
  const r = LogEventSchema.safeParse(event);
  expect(r.success).toBe(true);
  expect(() => JSON.stringify(event)).not.toThrow();
};

/** Strings that look like what components write: JSON records, Lambda wrappers, platform lines. */
const REQ = '6f3c1c2e-0000-4000-8000-000000000001';
const jsonRecord = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'level',
      'time',
      'msg',
      'message',
      'timestamp',
      'err',
      'error',
      'service',
      'name',
      'v',
      'stack',
    ),
    fc.constantFrom('transactionId', 'traceId', 'requestId', 'type', 'record', '__proto__', 'constructor'),
    fc.string(),
  ),
  fc.jsonValue({ maxDepth: 4 }),
);
const lineLike = fc.oneof(
  fc.string({ unit: 'binary' }),
  jsonRecord.map((o) => JSON.stringify(o)),
  jsonRecord.map((o) => JSON.stringify(o).slice(0, -3)),
  jsonRecord.map((o) => `2024-05-01T12:00:00.000Z\t${REQ}\tINFO\t${JSON.stringify(o)}`),
  jsonRecord.map((o) =>
    JSON.stringify({ timestamp: '2024-05-01T12:00:00.000Z', level: 'INFO', requestId: REQ, message: o }),
  ),
  jsonRecord.map((o) =>
    JSON.stringify({ timestamp: 1, level: 'WARN', requestId: REQ, message: JSON.stringify(o) }),
  ),
  jsonRecord.map((o) =>
    JSON.stringify({ time: '2024-05-01T12:00:00.000Z', type: 'platform.report', record: o }),
  ),
  fc.string().map((s) => `REPORT RequestId: ${REQ}\tDuration: ${s} ms\tMemory Size: ${s}`),
  fc.string().map((s) => `START RequestId: ${s} Version: ${s}`),
);

describe('normaliser (property)', () => {
  it('gives a valid, serialisable LogEvent for any string', () => {
    fc.assert(fc.property(lineLike, valid), { numRuns: 3000 });
  });

  it('is deterministic: the same line and clock give the same event', () => {
    fc.assert(
      fc.property(lineLike, (line) => {
        expect(normalize(line)).toEqual(normalize(line));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every unused key of a JSON record in attributes, unchanged', () => {
    const key = fc
      .string({ minLength: 1 })
      .filter(
        (k) =>
          !/^(level|time|msg|message|timestamp|ts|date|datetime|@timestamp|severity|lvl|loglevel|log_level|service|serviceName|service_name|logger|loggerName|logger_name|err|error|exception|stack|errorType|errorMessage|stackTrace|function_name|function_request_id|awsRequestId|aws_request_id|lambdaRequestId|cold_start|coldStart|transactionId|transaction_id|txId|correlationId|correlation_id|x-correlation-id|transaction|xray_trace_id|xRayTraceId|traceId|trace_id|traceparent|x-amzn-trace-id|_X_AMZN_TRACE_ID|trace|requestId|type)$/.test(
            k,
          ),
      );
    fc.assert(
      fc.property(
        fc.dictionary(
          key,
          fc
            .jsonValue({ maxDepth: 3 })
            .filter((v) => typeof v !== 'number' || Number.isSafeInteger(v) || !Number.isInteger(v)),
        ),
        (o) => {
          const source = JSON.stringify({ msg: 'x', ...o });
          const event = normalize(source);
          expect(event.attributes).toEqual(JSON.parse(JSON.stringify(o)));
          expect(Object.keys(event.attributes)).toEqual(Object.keys(o));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the exact digits of any integer transaction id', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.constantFrom('transactionId', 'txId', 'correlation_id'),
        (n, field) => {
          const event = normalize(`{"msg":"x","${field}":${n.toString()}}`);
          expect(event.transaction?.id).toBe(n.toString());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never changes Object.prototype, whatever keys a line has', () => {
    fc.assert(
      fc.property(jsonRecord, (o) => {
        normalize(`{"__proto__":${JSON.stringify(o)},"constructor":{"prototype":${JSON.stringify(o)}}}`);
        normalize(
          `{"__proto__":${JSON.stringify(o)},"err":{"__proto__":${JSON.stringify(o)},"message":"m"}}`,
        );
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
