import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { makeEnvelope } from '../test/factories/cwl.js';
import { TransformConfigError } from './errors.js';
import { compileNormalizer, type EventContext } from './normalize.js';
import { type LogEvent, LogEventSchema } from './schema.js';

const NOW = new Date('2024-05-01T12:00:09.000Z');
const normalizer = compileNormalizer({ now: () => NOW });
const ctx: EventContext = {
  logGroup: '/aws/lambda/orders',
  logStream: '2024/05/01/[$LATEST]abc',
  owner: '123456789012',
  region: 'eu-west-1',
};
const CWL_TS = Date.UTC(2024, 4, 1, 12, 0, 7, 0); // 2024-05-01T12:00:07.000Z
const REQ = '6f3c1c2e-0000-4000-8000-000000000001';
const XRAY = '1-5759e988-bd862e3fe1be46a994272793';
const STACK =
  'TypeError: boom\n    at handler (/var/task/index.js:3:9)\n    at process (node:internal/x:1:1)';

function normalize(message: string): LogEvent {
  const event = normalizer.event({ id: 'ev-1', timestamp: CWL_TS, message }, ctx);
  const checked = LogEventSchema.safeParse(event);
  if (!checked.success) throw new Error(`not a valid LogEvent: ${JSON.stringify(checked.error.issues)}`);
  return event;
}

describe.each<[string, string, Record<string, unknown>]>([
  [
    'pino (numeric level, epoch ms, msg, name)',
    '{"level":30,"time":1714564800123,"pid":7,"hostname":"ip-10-0-0-1","name":"orders-api","msg":"order placed","transactionId":"tx-1","order":{"id":5,"items":[1,2]}}',
    {
      '@timestamp': '2024-05-01T12:00:00.123Z',
      message: 'order placed',
      log: { level: 'info', format: 'pino' },
      service: { name: 'orders-api' },
      transaction: { id: 'tx-1' },
      attributes: { pid: 7, hostname: 'ip-10-0-0-1', order: { id: 5, items: [1, 2] } },
    },
  ],
  [
    'pino error with err',
    `{"level":50,"time":1714564800000,"msg":"failed","err":{"type":"TypeError","message":"boom","stack":${JSON.stringify(STACK)}}}`,
    {
      log: { level: 'error', format: 'pino' },
      error: { type: 'TypeError', message: 'boom', stack_trace: STACK },
      attributes: {},
    },
  ],
  [
    'bunyan (v, ISO time, err with extra keys)',
    `{"name":"payments","hostname":"h","pid":1,"level":40,"msg":"slow","time":"2024-05-01T12:00:01.500Z","v":0,"err":{"name":"TimeoutError","message":"late","stack":"TimeoutError: late\\n    at x (y.js:1:1)","code":"ETIMEDOUT"}}`,
    {
      '@timestamp': '2024-05-01T12:00:01.500Z',
      message: 'slow',
      log: { level: 'warn', format: 'bunyan' },
      service: { name: 'payments' },
      error: { type: 'TimeoutError', message: 'late' },
      attributes: { hostname: 'h', pid: 1, err: { code: 'ETIMEDOUT' } },
    },
  ],
  [
    'Powertools Logger',
    `{"level":"ERROR","message":"failed","timestamp":"2024-05-01T12:00:02.000Z","service":"cart","cold_start":true,"function_arn":"arn:aws:lambda:eu-west-1:123456789012:function:cart-fn","function_memory_size":"128","function_name":"cart-fn","function_request_id":"${REQ}","sampling_rate":0,"xray_trace_id":"${XRAY}","correlation_id":"c-9","error":{"name":"TypeError","location":"file.js:1","message":"boom","stack":${JSON.stringify(STACK)}}}`,
    {
      '@timestamp': '2024-05-01T12:00:02.000Z',
      message: 'failed',
      log: { level: 'error', format: 'powertools' },
      service: { name: 'cart' },
      transaction: { id: 'c-9' },
      trace: { id: XRAY },
      faas: { execution: REQ, name: 'cart-fn', coldstart: true },
      error: { type: 'TypeError', message: 'boom', stack_trace: STACK },
      attributes: {
        function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:cart-fn',
        function_memory_size: '128',
        sampling_rate: 0,
        error: { location: 'file.js:1' },
      },
    },
  ],
  [
    'winston JSON (level name, message, timestamp, stack)',
    `{"level":"warn","message":"disk almost full","timestamp":"2024-05-01 12:00:03","service":{"name":"disk-watch"},"stack":${JSON.stringify(STACK)},"free_mb":12}`,
    {
      message: 'disk almost full',
      log: { level: 'warn', format: 'json' },
      service: { name: 'disk-watch' },
      error: { type: 'TypeError', message: 'boom', stack_trace: STACK },
      attributes: { free_mb: 12 },
    },
  ],
  [
    'console JSON without level or time',
    '{"msg":"hi","correlationId":"corr-1","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}',
    {
      '@timestamp': '2024-05-01T12:00:07.000Z',
      message: 'hi',
      log: { level: 'info', format: 'json' },
      service: { name: 'orders' },
      transaction: { id: 'corr-1' },
      trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      attributes: {},
    },
  ],
  [
    'nested transaction.id and an X-Ray header',
    `{"message":"nested","transaction":{"id":"tx-nested"},"x-amzn-trace-id":"Root=${XRAY};Parent=53995c3f42cd8ad8;Sampled=1"}`,
    { transaction: { id: 'tx-nested' }, trace: { id: XRAY }, attributes: {} },
  ],
  [
    'Lambda text format with a text message',
    `2024-05-01T12:00:04.000Z\t${REQ}\tWARN\tcache miss for key 17\n`,
    {
      '@timestamp': '2024-05-01T12:00:04.000Z',
      message: 'cache miss for key 17',
      log: { level: 'warn', format: 'lambda_text' },
      faas: { execution: REQ, name: 'orders' },
      attributes: {},
    },
  ],
  [
    'Lambda text format with JSON inside',
    `2024-05-01T12:00:04.000Z\t${REQ}\tINFO\t{"message":"inner","txId":"t-7","user":{"id":3}}\n`,
    {
      message: 'inner',
      log: { level: 'info', format: 'lambda_text' },
      transaction: { id: 't-7' },
      faas: { execution: REQ },
      attributes: { user: { id: 3 } },
    },
  ],
  [
    'Lambda text format Invoke Error',
    `2024-05-01T12:00:04.000Z\t${REQ}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"boom","stack":["TypeError: boom","    at handler (/var/task/index.js:3:9)"]}\n`,
    {
      message: 'Invoke Error',
      log: { level: 'error', format: 'lambda_text' },
      error: {
        type: 'TypeError',
        message: 'boom',
        stack_trace: 'TypeError: boom\n    at handler (/var/task/index.js:3:9)',
      },
      attributes: {},
    },
  ],
  [
    'Lambda text format during init (request id undefined)',
    '2024-05-01T12:00:04.000Z\tundefined\tINFO\tloading config\n',
    { message: 'loading config', log: { level: 'info', format: 'lambda_text' }, faas: { name: 'orders' } },
  ],
  [
    'Lambda JSON log format with a string message',
    `{"timestamp":"2024-05-01T12:00:05.000Z","level":"INFO","requestId":"${REQ}","message":"plain json-format line"}`,
    {
      '@timestamp': '2024-05-01T12:00:05.000Z',
      message: 'plain json-format line',
      log: { level: 'info', format: 'lambda_json' },
      faas: { execution: REQ },
      attributes: {},
    },
  ],
  [
    'Lambda JSON log format with an object message',
    `{"timestamp":"2024-05-01T12:00:05.000Z","level":"DEBUG","requestId":"${REQ}","message":{"msg":"object message","transaction_id":"tx-o","cart":{"size":2}}}`,
    {
      message: 'object message',
      log: { level: 'debug', format: 'lambda_json' },
      transaction: { id: 'tx-o' },
      faas: { execution: REQ },
      attributes: { cart: { size: 2 } },
    },
  ],
  [
    'Lambda JSON log format double-wrapping a pino line',
    `{"timestamp":"2024-05-01T12:00:05.000Z","level":"INFO","requestId":"${REQ}","message":${JSON.stringify('{"level":50,"time":1714564806000,"name":"orders-api","msg":"wrapped","transactionId":"tx-w"}')}}`,
    {
      '@timestamp': '2024-05-01T12:00:06.000Z',
      message: 'wrapped',
      log: { level: 'error', format: 'pino' },
      service: { name: 'orders-api' },
      transaction: { id: 'tx-w' },
      faas: { execution: REQ },
    },
  ],
  [
    'Lambda JSON log format error record',
    `{"timestamp":"2024-05-01T12:00:05.000Z","level":"ERROR","requestId":"${REQ}","message":{"errorType":"TypeError","errorMessage":"boom","stackTrace":["TypeError: boom","    at x (y.js:1:1)"]}}`,
    {
      log: { level: 'error', format: 'lambda_json' },
      error: { type: 'TypeError', message: 'boom', stack_trace: 'TypeError: boom\n    at x (y.js:1:1)' },
      faas: { execution: REQ },
    },
  ],
  [
    'platform START line',
    `START RequestId: ${REQ} Version: $LATEST\n`,
    {
      message: `START RequestId: ${REQ} Version: $LATEST`,
      log: { level: 'info', format: 'lambda_platform' },
      faas: { execution: REQ },
      lambda: { platform: 'start', version: '$LATEST' },
    },
  ],
  [
    'platform END line',
    `END RequestId: ${REQ}\n`,
    { log: { format: 'lambda_platform' }, faas: { execution: REQ }, lambda: { platform: 'end' } },
  ],
  [
    'platform REPORT line with X-Ray',
    `REPORT RequestId: ${REQ}\tDuration: 2.35 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.18 ms\t\nXRAY TraceId: ${XRAY}\tSegmentId: 53995c3f42cd8ad8\tSampled: true\n`,
    {
      log: { level: 'info', format: 'lambda_platform' },
      trace: { id: XRAY },
      faas: { execution: REQ, coldstart: true },
      lambda: {
        platform: 'report',
        report: {
          duration_ms: 2.35,
          billed_duration_ms: 3,
          memory_size_mb: 128,
          max_memory_used_mb: 70,
          init_duration_ms: 150.18,
        },
      },
    },
  ],
  [
    'platform REPORT line of a timeout',
    `REPORT RequestId: ${REQ}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 80 MB\tStatus: timeout\n`,
    {
      log: { level: 'error' },
      lambda: {
        platform: 'report',
        report: { duration_ms: 3000, billed_duration_ms: 3000, memory_size_mb: 128, max_memory_used_mb: 80 },
      },
      attributes: { status: 'timeout' },
    },
  ],
  [
    'platform INIT_START line',
    'INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:abc\n',
    {
      log: { format: 'lambda_platform' },
      lambda: { platform: 'init_start' },
      attributes: { runtime_version: 'nodejs:20.v13' },
    },
  ],
  [
    'JSON platform.start record',
    `{"time":"2024-05-01T12:00:00.100Z","type":"platform.start","record":{"requestId":"${REQ}","version":"$LATEST"}}`,
    {
      '@timestamp': '2024-05-01T12:00:00.100Z',
      message: `START RequestId: ${REQ} Version: $LATEST`,
      log: { format: 'lambda_platform' },
      faas: { execution: REQ },
      lambda: { platform: 'start', version: '$LATEST' },
    },
  ],
  [
    'JSON platform.report record',
    `{"time":"2024-05-01T12:00:00.200Z","type":"platform.report","record":{"requestId":"${REQ}","metrics":{"durationMs":2.35,"billedDurationMs":3,"memorySizeMB":128,"maxMemoryUsedMB":70,"initDurationMs":150.5},"tracing":{"spanId":"a","type":"X-Amzn-Trace-Id","value":"Root=${XRAY};Parent=1;Sampled=1"},"status":"success"}}`,
    {
      log: { level: 'info', format: 'lambda_platform' },
      trace: { id: XRAY },
      faas: { execution: REQ, coldstart: true },
      lambda: {
        platform: 'report',
        report: {
          duration_ms: 2.35,
          billed_duration_ms: 3,
          memory_size_mb: 128,
          max_memory_used_mb: 70,
          init_duration_ms: 150.5,
        },
      },
      attributes: { status: 'success' },
    },
  ],
  [
    'JSON platform.initStart record',
    '{"time":"2024-05-01T12:00:00.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init"}}',
    { lambda: { platform: 'init_start' }, attributes: { initializationType: 'on-demand', phase: 'init' } },
  ],
  [
    'JSON platform record keeps keys beside time/type/record (a clash with a record key as platform_<key>)',
    `{"time":"2024-05-01T12:00:00.000Z","type":"platform.initStart","record":{"phase":"init"},"phase":"outer","runtimeVersion":"nodejs:20.v13","tags":["a"]}`,
    {
      lambda: { platform: 'init_start' },
      attributes: { phase: 'init', platform_phase: 'outer', runtimeVersion: 'nodejs:20.v13', tags: ['a'] },
    },
  ],
  [
    'JSON platform record whose record is text keeps the keys beside it',
    `{"time":"2024-05-01T12:00:00.000Z","type":"platform.fault","record":"RequestId: ${REQ} Process exited before completing request","functionArn":"arn:aws:lambda:eu-west-1:123456789012:function:orders"}`,
    {
      log: { level: 'error', format: 'lambda_platform' },
      faas: { execution: REQ },
      attributes: { functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders' },
    },
  ],
  [
    'Lambda task timeout line',
    `2024-05-01T12:00:03.000Z ${REQ} Task timed out after 3.00 seconds\n`,
    {
      message: 'Task timed out after 3.00 seconds',
      log: { level: 'error', format: 'lambda_text' },
      faas: { execution: REQ },
    },
  ],
  [
    'plain text',
    'server started on port 8080',
    {
      message: 'server started on port 8080',
      log: { level: 'info', format: 'text' },
      '@timestamp': '2024-05-01T12:00:07.000Z',
      attributes: {},
    },
  ],
  ['plain text with a level word', '[WARN] retrying', { log: { level: 'warn', format: 'text' } }],
  [
    'a W3C traceparent gives the trace id and the span (parent) id',
    '{"level":"info","message":"x","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}',
    { trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' }, span: { id: '00f067aa0ba902b7' } },
  ],
  [
    'a spanId key beside a traceId',
    '{"level":"info","message":"x","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}',
    { span: { id: '00f067aa0ba902b7' }, attributes: {} },
  ],
  [
    'pino before v7: an Error logged at the top (type beside stack)',
    '{"level":50,"time":1714564800000,"msg":"boom","type":"Error","stack":"Error: boom\\n    at f (/app/a.js:1:1)"}',
    {
      log: { level: 'error', format: 'pino' },
      error: { type: 'Error', message: 'boom', stack_trace: 'Error: boom\n    at f (/app/a.js:1:1)' },
      attributes: {},
    },
  ],
  [
    'a top-level stack_trace (logstash, Cloud Logging)',
    '{"severity":"ERROR","message":"failed","stack_trace":"java.lang.IllegalStateException: bad\\n\\tat a.B.c(B.java:1)"}',
    {
      log: { level: 'error', format: 'json' },
      error: { type: 'java.lang.IllegalStateException', message: 'bad' },
      attributes: {},
    },
  ],
  [
    'a Node.js stack in text joined with \\r stays one error',
    '2024-05-01T12:00:03.000Z\tc0ffee00-0000-4000-8000-000000000001\tERROR\tTypeError: boom\r    at f (/var/task/index.js:1:1)\r    at g (/var/task/index.js:2:2)',
    {
      message: 'TypeError: boom',
      log: { level: 'error', format: 'lambda_text' },
      error: { type: 'TypeError', message: 'boom' },
    },
  ],
  [
    'Lambda Python JSON log format (awslambdaric JsonFormatter keys): requestId is the execution',
    '{"timestamp": "2024-05-01T12:00:00Z", "level": "ERROR", "message": "TEST 1", "logger": "a.b", "requestId": "c0ffee00-0000-4000-8000-000000000001"}',
    {
      message: 'TEST 1',
      log: { level: 'error', format: 'lambda_json', logger: 'a.b' },
      faas: { execution: 'c0ffee00-0000-4000-8000-000000000001' },
      attributes: {},
    },
  ],
  [
    '.NET runtime text format with a short level name',
    '2024-05-01T12:00:03.000Z\tc0ffee00-0000-4000-8000-000000000001\tfail\tOrder failed',
    { message: 'Order failed', log: { level: 'error', format: 'lambda_text' } },
  ],
  [
    'text with a leading date-time and level',
    '2026-12-05 15:20:01 ERROR payment failed',
    {
      '@timestamp': '2026-12-05T15:20:01.000Z',
      message: 'payment failed',
      log: { level: 'error', format: 'text' },
    },
  ],
  [
    'text with an ISO time and a level',
    '2026-12-05T15:20:01Z WARN disk almost full',
    {
      '@timestamp': '2026-12-05T15:20:01.000Z',
      message: 'disk almost full',
      log: { level: 'warn', format: 'text' },
    },
  ],
  [
    'plain text stack trace (message is the text before the first frame)',
    STACK,
    {
      message: 'TypeError: boom',
      log: { level: 'error', format: 'text' },
      error: { type: 'TypeError', message: 'boom', stack_trace: STACK },
    },
  ],
  [
    'JSON that was cut off',
    '{"level":"error","time":"2024-05-01T12:00:08.000Z","msg":"payload too big","data":"aaaa',
    {
      message: '{"level":"error","time":"2024-05-01T12:00:08.000Z","msg":"payload too big","data":"aaaa',
      '@timestamp': '2024-05-01T12:00:08.000Z',
      log: { level: 'error', format: 'json', truncated: true },
    },
  ],
  ['malformed JSON that is not cut off', '{not json}', { message: '{not json}', log: { format: 'text' } }],
  ['a JSON array line', '[1,2,3]', { message: '[1,2,3]', log: { format: 'text' } }],
  ['an empty line', '', { message: '', log: { level: 'info', format: 'text' } }],
])('%s', (_name, line, expected) => {
  it('gives a valid LogEvent with the expected fields', () => {
    const event = normalize(line);
    expect(event).toMatchObject(expected);
    expect(event.event).toEqual({ id: 'ev-1', ingested: '2024-05-01T12:00:09.000Z' });
    expect(event.aws.cloudwatch).toEqual({ log_group: ctx.logGroup, log_stream: ctx.logStream });
    expect(event.cloud).toEqual({ account: { id: '123456789012' }, region: 'eu-west-1' });
  });
});

describe('compileNormalizer', () => {
  it('reads lines written by the real pino logger', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ name: 'checkout' }, sink);
    logger.info({ transactionId: 'tx-real', amount: 12.5 }, 'paid');
    logger.error(new RangeError('too big'), 'failed');
    const [info, error] = lines.map(normalize);
    expect(info).toMatchObject({
      message: 'paid',
      log: { level: 'info', format: 'pino' },
      service: { name: 'checkout' },
      transaction: { id: 'tx-real' },
      attributes: { amount: 12.5 },
    });
    expect(error).toMatchObject({
      log: { level: 'error' },
      error: { type: 'RangeError', message: 'too big' },
    });
    expect(error!.error?.stack_trace).toMatch(/^RangeError: too big\n\s+at /);
  });

  it('derives service.name and faas.name from a /aws/lambda/ log group, else the last segment', () => {
    const ev = { id: '1', timestamp: CWL_TS, message: 'x' };
    expect(normalizer.event(ev, { logGroup: '/aws/lambda/fn-a', logStream: 's' })).toMatchObject({
      service: { name: 'fn-a' },
      faas: { name: 'fn-a' },
    });
    const ecs = normalizer.event(ev, { logGroup: '/ecs/billing', logStream: 's' });
    expect(ecs.service.name).toBe('billing');
    expect(ecs.faas).toBeUndefined();
    expect(ecs.cloud).toBeUndefined();
  });

  it('uses the configured transaction id fields, in order', () => {
    const n = compileNormalizer({ transactionIdFields: ['req.tx', 'orderRef'] });
    const e = n.event(
      {
        id: '1',
        timestamp: CWL_TS,
        message: '{"orderRef":"o-1","req":{"tx":"r-1","path":"/"},"transactionId":"ignored"}',
      },
      ctx,
    );
    expect(e.transaction).toEqual({ id: 'r-1' });
    expect(e.attributes).toEqual({
      orderRef: 'o-1',
      req: { tx: 'r-1', path: '/' },
      transactionId: 'ignored',
    });
  });

  it('keeps the exact digits of integer ids beyond 2^53', () => {
    const e = normalize(
      '{"msg":"big","transactionId":12345678901234567891,"userId":98765432109876543211,"count":12345678901234567891}',
    );
    expect(e.transaction).toEqual({ id: '12345678901234567891' });
    expect(e.attributes['userId']).toBe('98765432109876543211');
    expect(typeof e.attributes['count']).toBe('number');
    expect(normalize('{"transaction":{"id":12345678901234567891}}').transaction).toEqual({
      id: '12345678901234567891',
    });
  });

  it('keeps __proto__ and constructor keys as data without polluting prototypes', () => {
    const e = normalize(
      '{"msg":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(Object.getPrototypeOf(e.attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(e.attributes, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(e)).attributes).toEqual(
      JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps JSON nested too deeply for serialisation as plain text', () => {
    const deep = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const e = normalize(deep);
    expect(e.log.format).toBe('text');
    expect(e.message).toBe(deep);
    expect(() => JSON.stringify(e)).not.toThrow();
  });

  it('normalises a whole envelope, one event per log event in order, sharing nothing mutable', () => {
    const env = makeEnvelope(['{"msg":"a"}', 'b', `START RequestId: ${REQ}`]);
    const events = normalizer.envelope(env);
    expect(events.map((e) => e.message)).toEqual(['a', 'b', `START RequestId: ${REQ}`]);
    expect(events.map((e) => e.event.id)).toEqual(env.logEvents.map((e) => e.id));
    expect(events[0]!.cloud).toEqual({ account: { id: '123456789012' } });
    expect(events[0]!.cloud).not.toBe(events[1]!.cloud);
    expect(events[0]!.attributes).not.toBe(events[1]!.attributes);
    for (const e of events) expect(LogEventSchema.safeParse(e).success).toBe(true);
  });

  it('normalises a raw line with service unknown unless the line names one', () => {
    const raw = normalizer.line('hello', {
      logGroup: '',
      logStream: 'app.log',
      id: 'line-1',
      timestamp: CWL_TS,
    });
    expect(raw).toMatchObject({
      service: { name: 'unknown' },
      event: { id: 'line-1' },
      '@timestamp': '2024-05-01T12:00:07.000Z',
    });
    expect(
      normalizer.line('{"service":"api","msg":"x"}', { logGroup: '', logStream: 'app.log', id: 'l2' }).service
        .name,
    ).toBe('api');
  });

  it('completes the year of an RFC 3164 syslog time from the CloudWatch timestamp (New Year: the year before)', () => {
    const at = (message: string, timestamp: number) => normalizer.event({ id: '1', timestamp, message }, ctx);
    const newYear = Date.UTC(2027, 0, 1, 0, 0, 5);
    const pri = at("<34>Dec 31 23:59:58 mymachine su: 'su root' failed", newYear);
    expect(pri).toMatchObject({
      '@timestamp': '2026-12-31T23:59:58.000Z',
      message: "su: 'su root' failed",
      log: { level: 'fatal' },
      attributes: { host: 'mymachine', syslog: { timestamp: 'Dec 31 23:59:58' } },
    });
    const file = at('Feb 20 11:28:15 host app[12]: ERROR disk full', CWL_TS);
    expect(file).toMatchObject({
      '@timestamp': '2024-02-20T11:28:15.000Z',
      message: 'app[12]: ERROR disk full',
      log: { format: 'text' },
      attributes: { host: 'host', syslog: { timestamp: 'Feb 20 11:28:15' } },
    });
    // A time more than a day after the CloudWatch timestamp is of the year before.
    expect(at('May  3 12:00:00 host app: x', CWL_TS)['@timestamp']).toBe('2023-05-03T12:00:00.000Z');
    // Without a usable CloudWatch timestamp, the ingestion time gives the year.
    expect(at('Jan  2 03:04:05 host app: x', Number.NaN)['@timestamp']).toBe('2024-01-02T03:04:05.000Z');
    // Not a real date: the CloudWatch timestamp, the text kept.
    expect(at('Feb 30 03:04:05 host app: x', CWL_TS)).toMatchObject({
      '@timestamp': '2024-05-01T12:00:07.000Z',
      attributes: { syslog: { timestamp: 'Feb 30 03:04:05' } },
    });
    // A Ruby Logger line (a capital and a comma) is still read as Ruby, not tried as syslog.
    expect(at('I, [2019-10-25T12:00:00.123456 #8]  INFO -- app: hi', CWL_TS)['@timestamp']).toBe(
      '2019-10-25T12:00:00.123Z',
    );
  });

  it('falls back to the ingest time when the CloudWatch timestamp is unusable', () => {
    const e = normalizer.event({ id: '1', timestamp: Number.NaN, message: 'x' }, ctx);
    expect(e['@timestamp']).toBe('2024-05-01T12:00:09.000Z');
  });

  it('rejects reserved or empty field names when compiling, listing every problem', () => {
    let err: unknown;
    try {
      compileNormalizer({
        transactionIdFields: ['ok', '__proto__', 'a..b'],
        traceIdFields: ['constructor'],
        maxDepth: 1,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TransformConfigError);
    expect((err as TransformConfigError).problems.map((p) => p.path)).toEqual([
      'maxDepth',
      'transactionIdFields[1]',
      'transactionIdFields[2]',
      'traceIdFields[0]',
    ]);
  });
});
