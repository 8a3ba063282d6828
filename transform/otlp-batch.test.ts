import { describe, expect, it } from 'vitest';
import { makeEnvelope } from '../test/factories/cwl.js';
import { compileNormalizer } from './normalize.js';
import { MAX_OTLP_RECORDS_PER_LINE } from './otlp-batch.js';
import { LogEventSchema } from './schema.js';

const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });
const record = (n: number, over: Record<string, unknown> = {}) => ({
  timeUnixNano: String(1_700_000_000_000_000_000 + n * 1_000_000),
  severityNumber: n === 1 ? 17 : 9,
  severityText: n === 1 ? 'ERROR' : 'INFO',
  body: { stringValue: `record ${n}` },
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: `eee19b7ec3c1b17${n}`,
  attributes: [kv('n', String(n))],
  ...over,
});
/** Two resources (services), the first with two scopes. */
const batch = (records: unknown[][]) =>
  JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [kv('service.name', 'checkout')] },
        scopeLogs: [
          { scope: { name: 'http', version: '1.2.0' }, logRecords: records[0] ?? [] },
          { scope: { name: 'db' }, logRecords: records[1] ?? [] },
        ],
      },
      {
        resource: { attributes: [kv('service.name', 'payments'), kv('cloud.region', 'eu-west-1')] },
        scopeLogs: [
          { scope: { name: 'charge', attributes: [kv('lib', 'stripe')] }, logRecords: records[2] ?? [] },
        ],
      },
    ],
  });

const normalizer = compileNormalizer({ now: () => new Date('2026-12-05T00:00:00Z') });
const ctx = { logGroup: '/aws/lambda/collector', logStream: 's', id: 'line-7' };

describe('OTLP resourceLogs lines', () => {
  it('gives one event per log record, with its resource, scope, time, level, body and ids', () => {
    const events = normalizer.lines(batch([[record(0), record(1)], [record(2)], [record(3)]]), ctx);
    expect(events.map((e) => e.message)).toEqual(['record 0', 'record 1', 'record 2', 'record 3']);
    expect(events.map((e) => e.service.name)).toEqual(['checkout', 'checkout', 'checkout', 'payments']);
    expect(events.map((e) => e.log.level)).toEqual(['info', 'error', 'info', 'info']);
    expect(events.map((e) => e.attributes['scope'])).toEqual([
      { name: 'http', version: '1.2.0' },
      { name: 'http', version: '1.2.0' },
      { name: 'db' },
      { name: 'charge', attributes: { lib: 'stripe' } },
    ]);
    expect(events[3]!.attributes['resource']).toEqual({
      attributes: { 'service.name': 'payments', 'cloud.region': 'eu-west-1' },
    });
    expect(events[1]).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.001Z',
      log: { format: 'otel' },
      trace: { id: '5b8efff798038103d269b633813fc60c' },
      span: { id: 'eee19b7ec3c1b171' },
      attributes: { attributes: { n: '1' } },
    });
    for (const e of events) expect(LogEventSchema.safeParse(e).success).toBe(true);
  });

  it('gives each record an id of the line id and its position: unique, and the same every time', () => {
    const line = batch([[record(0), record(1)], [], [record(2)]]);
    const ids = normalizer.lines(line, ctx).map((e) => e.event.id);
    expect(ids).toEqual(['line-7:0', 'line-7:1', 'line-7:2']);
    expect(normalizer.lines(line, ctx).map((e) => e.event.id)).toEqual(ids);
  });

  it('splits batch lines inside a CloudWatch envelope, keeping the order of the other lines', () => {
    const env = makeEnvelope([
      'plain before',
      batch([[record(0)], [], [record(1)]]),
      '{"msg":"after","level":"warn"}',
    ]);
    const events = normalizer.envelope(env);
    expect(events.map((e) => e.message)).toEqual(['plain before', 'record 0', 'record 1', 'after']);
    const lineId = env.logEvents[1]!.id;
    expect(events.map((e) => e.event.id)).toEqual([
      env.logEvents[0]!.id,
      `${lineId}:0`,
      `${lineId}:1`,
      env.logEvents[2]!.id,
    ]);
  });

  it('turns a record that is not an object into an event with a typed error, the good records intact', () => {
    const events = normalizer.lines(batch([[record(0), 'oops', null], [], [record(1)]]), ctx);
    expect(events).toHaveLength(4);
    expect(events.map((e) => e.message).filter((m) => m.startsWith('record'))).toEqual([
      'record 0',
      'record 1',
    ]);
    expect(events[1]).toMatchObject({
      log: { level: 'error', format: 'otel' },
      error: {
        type: 'OTLP_RECORD_INVALID',
        message: 'log record 1 of an OTLP resourceLogs line is a string: expected a LogRecord object',
      },
      attributes: { otlp_record: 'oops' },
    });
    expect(events[2]!.error?.message).toMatch(/log record 2 .* is null/);
    // still of its resource's service
    expect(events[1]!.service.name).toBe('checkout');
    for (const e of events) expect(LogEventSchema.safeParse(e).success).toBe(true);
  });

  it(`keeps a line of more than ${MAX_OTLP_RECORDS_PER_LINE} records as one event, saying why`, () => {
    const many = Array.from({ length: MAX_OTLP_RECORDS_PER_LINE + 1 }, (_, n) => ({
      body: { stringValue: `r${n}` },
    }));
    const events = normalizer.lines(batch([many]), ctx);
    expect(events).toHaveLength(1);
    expect(events[0]!.event.id).toBe('line-7');
    expect(events[0]!.error).toEqual({
      type: 'OTLP_BATCH_TOO_MANY_RECORDS',
      message: `an OTLP resourceLogs line with ${MAX_OTLP_RECORDS_PER_LINE + 1} log records: at most ${MAX_OTLP_RECORDS_PER_LINE} are split into events, so the line is kept as one event (export smaller batches)`,
    });
    // exactly at the cap it is split
    expect(normalizer.lines(batch([many.slice(1)]), ctx)).toHaveLength(MAX_OTLP_RECORDS_PER_LINE);
  });

  it('reads lines that only look like a batch as ordinary lines', () => {
    for (const line of [
      '{"resourceLogs":"none","msg":"x"}',
      '{"resourceLogs":[]}',
      '{"resourceLogs":[{"scopeLogs":[{}]}]',
      '{"resourceLogs": oops',
    ]) {
      const events = normalizer.lines(line, ctx);
      expect(events, line).toHaveLength(1);
      expect(events[0]!.event.id).toBe('line-7');
    }
    // `line()` (one event per line, for tools that test one line) gives the first record
    expect(normalizer.line(batch([[record(0), record(1)]]), ctx).message).toBe('record 0');
  });
});
