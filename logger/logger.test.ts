import { describe, expect, it } from 'vitest';
import { captureLines } from '../test/factories/log-lines.js';
import { LOG_LEVELS } from '../transform/schema.js';
import { LOGGER_LEVELS } from './config.js';
import { addTransactionFields, runInTransaction } from './context.js';
import { LoggerConfigError } from './errors.js';
import { createLogger } from './logger.js';

function setup(options: Parameters<typeof createLogger>[0] = { service: 'orders' }, env = {}) {
  const sink = captureLines();
  return { sink, log: createLogger(options, { destination: sink, env }) };
}

describe('createLogger lines', () => {
  it('writes one JSON line per call with level, time, service and message, and nothing else', () => {
    const { sink, log } = setup();
    const before = Date.now();
    log.info('hello');
    const [line] = sink.lines();
    expect(sink.raw[0]?.endsWith('\n')).toBe(true);
    expect(Object.keys(line!)).toEqual(['level', 'time', 'service', 'msg']);
    expect(line).toMatchObject({ level: 30, service: { name: 'orders' }, msg: 'hello' });
    expect(line!.time).toBeGreaterThanOrEqual(before);
  });

  it('adds bound fields of children and of the call, and static bindings from the options', () => {
    const { sink, log } = setup({ service: 'orders', bindings: { deployment: 'blue' } });
    const child = log.child({ order: { id: 'o-1' } }).child({ customer: 'c-9' });
    child.warn({ amount: 12.5 }, 'charged %s', 'card');
    expect(sink.lines()[0]).toEqual({
      level: 40,
      time: expect.any(Number),
      deployment: 'blue',
      service: { name: 'orders' },
      order: { id: 'o-1' },
      customer: 'c-9',
      amount: 12.5,
      msg: 'charged card',
    });
  });

  it('writes an error as err {type, message, stack} and keeps its message when none is given', () => {
    const { sink, log } = setup();
    class PaymentError extends Error {
      override name = 'PaymentError';
    }
    log.error(new PaymentError('card declined'));
    log.error({ err: new Error('inner') }, 'outer message');
    const [a, b] = sink.lines();
    expect(a).toMatchObject({
      level: 50,
      msg: 'card declined',
      err: { type: 'PaymentError', message: 'card declined' },
    });
    expect((a!.err as { stack: string }).stack).toContain('PaymentError: card declined');
    expect(b).toMatchObject({ msg: 'outer message', err: { type: 'Error', message: 'inner' } });
  });

  it('carries the running transaction on lines of every logger and child', async () => {
    const { sink, log } = setup();
    const child = log.child({ part: 'db' });
    await runInTransaction({ id: 'tx-1', traceId: 'f'.repeat(32), faas: { execution: 'r-1' } }, async () => {
      log.info('a');
      child.info('b');
    });
    for (const line of sink.lines()) {
      expect(line).toMatchObject({
        transaction: { id: 'tx-1' },
        trace: { id: 'f'.repeat(32) },
        function_request_id: 'r-1',
      });
    }
  });
});

describe('levels', () => {
  it.each([
    [{}, undefined, 'info'],
    [{}, 'warn', 'warn'],
    [{ LOG_LEVEL: 'debug' }, undefined, 'debug'],
    [{ LOG_LEVEL: 'debug' }, 'error', 'error'],
    [{ AWS_LAMBDA_LOG_LEVEL: 'DEBUG' }, 'error', 'debug'],
    [{ AWS_LAMBDA_LOG_LEVEL: 'WARN', LOG_LEVEL: 'trace' }, 'trace', 'warn'],
  ] as const)('with env %j and option %s the level is %s', (env, level, expected) => {
    const { log } = setup({ service: 's', ...(level && { level }) }, env);
    expect(log.level).toBe(expected);
  });

  it('writes nothing below the level and everything from it up', () => {
    const { sink, log } = setup({ service: 's', level: 'warn' });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.fatal('f');
    expect(sink.lines().map((l) => l.level)).toEqual([40, 50, 60]);
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
  });

  it('applies a level change to the transaction children already made', async () => {
    const { sink, log } = setup();
    await runInTransaction({ id: 'tx' }, async () => {
      log.info('made the child');
      log.level = 'debug';
      log.debug('now visible');
      log.level = 'error';
      log.warn('now hidden');
    });
    expect(sink.lines().map((l) => l.msg)).toEqual(['made the child', 'now visible']);
  });

  it('rejects an unknown level in the environment with a typed error naming the variable', () => {
    expect(() => setup({ service: 's' }, { LOG_LEVEL: 'verbose' })).toThrow(LoggerConfigError);
    try {
      setup({ service: 's' }, { LOG_LEVEL: 'verbose' });
    } catch (err) {
      expect((err as LoggerConfigError).code).toBe('LOGGER_CONFIG_INVALID');
      expect((err as LoggerConfigError).problems[0]?.path).toBe('env.LOG_LEVEL');
      expect((err as Error).message).not.toContain('verbose');
    }
  });
});

describe('options', () => {
  it('lists every problem of bad options without echoing their values', () => {
    let error: LoggerConfigError | undefined;
    try {
      createLogger({ service: '', level: 'loud', colour: 'red' } as never, {
        destination: captureLines(),
        env: {},
      });
    } catch (err) {
      error = err as LoggerConfigError;
    }
    expect(error).toBeInstanceOf(LoggerConfigError);
    expect(error!.problems.map((p) => p.path).sort()).toEqual(['(options)', 'level', 'service']);
    expect(error!.message).not.toContain('loud');
  });

  it('rejects prototype keys in bindings', () => {
    const bindings = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(() => createLogger({ service: 's', bindings }, { destination: captureLines(), env: {} })).toThrow(
      /bindings.__proto__/,
    );
  });
});

describe('redaction at source', () => {
  it('replaces secret key names on the line, in children and nested objects, in their usual spellings', () => {
    const { sink, log } = setup();
    log.child({ apiKey: 'k-1' }).info(
      {
        password: 'p',
        user: { name: 'ann', token: 't' },
        req: { headers: { Authorization: 'Bearer x', 'x-api-key': 'y', accept: 'json' } },
        items: [{ secret: 's' }],
      },
      'login',
    );
    const line = sink.raw[0]!;
    for (const secret of ['k-1', '"p"', '"t"', 'Bearer x', '"y"', '"s"']) expect(line).not.toContain(secret);
    expect(sink.lines()[0]).toMatchObject({
      apiKey: '[REDACTED:secret]',
      password: '[REDACTED:secret]',
      user: { name: 'ann', token: '[REDACTED:secret]' },
      req: {
        headers: { Authorization: '[REDACTED:secret]', 'x-api-key': '[REDACTED:secret]', accept: 'json' },
      },
      items: [{ secret: '[REDACTED:secret]' }],
    });
  });

  it('redacts static bindings and fields added to a transaction', async () => {
    const { sink, log } = setup({ service: 's', bindings: { dbPassword: 'static-secret' } });
    await runInTransaction({ id: 'tx' }, async () => {
      addTransactionFields({ session: { token: 'tx-secret' } });
      log.info('x');
    });
    expect(sink.raw[0]).not.toContain('secret"');
    expect(sink.lines()[0]).toMatchObject({
      dbPassword: '[REDACTED:secret]',
      session: { token: '[REDACTED:secret]' },
    });
  });

  it('adds extra key globs and can turn the shared ones off only explicitly', () => {
    const extra = setup({ service: 's', redact: { keys: ['iban', '*card_number'] } });
    extra.log.info({ IBAN: 'DE00', creditCardNumber: '4111', password: 'p' }, 'x');
    expect(extra.sink.lines()[0]).toMatchObject({
      IBAN: '[REDACTED:secret]',
      creditCardNumber: '[REDACTED:secret]',
      password: '[REDACTED:secret]',
    });
    const off = setup({ service: 's', redact: { defaults: false } });
    off.log.info({ password: 'visible' }, 'x');
    expect(off.sink.lines()[0]).toMatchObject({ password: 'visible' });
  });

  it("never changes the caller's objects and leaves lines without secrets as they are", () => {
    const { sink, log } = setup();
    const fields = { user: { name: 'ann', password: 'p' }, list: [{ token: 't' }], plain: { a: 1 } };
    const before = structuredClone(fields);
    log.info(fields, 'x');
    expect(fields).toEqual(before);
    expect(sink.lines()[0]).toMatchObject({ plain: { a: 1 }, list: [{ token: '[REDACTED:secret]' }] });
  });

  it('stops at the configured depth and keeps an error whole', () => {
    const { sink, log } = setup({ service: 's', redact: { depth: 1 } });
    const err = Object.assign(new Error('boom'), { code: 'E_X' });
    log.info({ a: { password: 'p1', b: { password: 'p2' } }, err }, 'x');
    const line = sink.lines()[0]!;
    expect(line.a).toEqual({ password: '[REDACTED:secret]', b: { password: 'p2' } });
    expect(line.err).toMatchObject({ type: 'Error', message: 'boom', code: 'E_X' });
  });

  it('redacts explicit pino paths for values whose key name is not a secret one', () => {
    const { sink, log } = setup({ service: 's', redact: { paths: ['body.card.number'] } });
    log.info({ body: { card: { number: '4111111111111111', brand: 'visa' } } }, 'x');
    expect(sink.lines()[0]).toMatchObject({ body: { card: { number: '[REDACTED:secret]', brand: 'visa' } } });
  });

  it('masks exactly the keys the pipeline default pack masks', () => {
    const { sink, log } = setup();
    const keys = [
      'dbPassword',
      'PASSWD',
      'pwd',
      'client_secret',
      'refresh-token',
      'Authorization',
      'Proxy-Authorization',
      'Cookie',
      'Set-Cookie',
      'x-api-key',
      'rsaPrivateKey',
      'awsCredentials',
      'tokenCount',
      'passport',
      'author',
      'apiKeyId',
    ];
    log.info(Object.fromEntries(keys.map((k) => [k, 'v'])), 'x');
    const line = sink.lines()[0]!;
    const masked = keys.filter((k) => line[k] === '[REDACTED:secret]');
    expect(masked).toEqual(keys.slice(0, 12));
  });
});

describe('flush', () => {
  it('flushes the destination synchronously', () => {
    const { sink, log } = setup();
    log.flush();
    expect(sink.flushes).toBe(1);
  });
});

describe('levels of the schema', () => {
  it('the logger levels are the event schema levels plus silent', () => {
    expect(LOGGER_LEVELS).toEqual([...LOG_LEVELS, 'silent']);
  });
});
