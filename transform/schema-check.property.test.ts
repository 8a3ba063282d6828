import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileZodCheck } from '../core/zod-check.js';
import { makeLogEvent } from '../test/factories/log-events.js';
import { generateKinesisPayloads } from '../test/factories/payloads.js';
import { compileNormalizer } from './normalize.js';
import { type LogEvent, LogEventSchema } from './schema.js';

const isLogEvent = compileZodCheck(LogEventSchema);
const viaJson = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Every optional part of the schema, each present or absent. */
const fullEvent = fc
  .record(
    {
      n: fc.nat(10_000),
      logger: fc.string(),
      truncated: fc.boolean(),
      transaction: fc.string(),
      trace: fc.string(),
      span: fc.string(),
      account: fc.string(),
      region: fc.string(),
      execution: fc.string(),
      faas: fc.string(),
      coldstart: fc.boolean(),
      error: fc.record(
        { type: fc.string(), message: fc.string(), stack_trace: fc.string() },
        { requiredKeys: [] },
      ),
      report: fc.record(
        { duration_ms: fc.double({ noNaN: true, noDefaultInfinity: true }), memory_size_mb: fc.nat() },
        { requiredKeys: [] },
      ),
      version: fc.string(),
      rules: fc.array(fc.string(), { maxLength: 3 }),
      route: fc.string(),
      attributes: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
    },
    { requiredKeys: ['n'] },
  )
  .map((p): LogEvent => {
    const e = makeLogEvent(p.n) as LogEvent & Record<string, unknown>;
    if (p.logger !== undefined) e.log.logger = p.logger;
    if (p.truncated !== undefined) e.log.truncated = p.truncated;
    if (p.transaction !== undefined) e.transaction = { id: p.transaction };
    else delete e.transaction;
    if (p.trace !== undefined) e.trace = { id: p.trace };
    if (p.span !== undefined) e.span = { id: p.span };
    if (p.account !== undefined || p.region !== undefined)
      e.cloud = {
        ...(p.account !== undefined ? { account: { id: p.account } } : {}),
        ...(p.region !== undefined ? { region: p.region } : {}),
      };
    if (p.execution !== undefined || p.faas !== undefined || p.coldstart !== undefined)
      e.faas = {
        ...(p.execution !== undefined ? { execution: p.execution } : {}),
        ...(p.faas !== undefined ? { name: p.faas } : {}),
        ...(p.coldstart !== undefined ? { coldstart: p.coldstart } : {}),
      };
    if (p.error !== undefined) e.error = p.error;
    if (p.report !== undefined || p.version !== undefined)
      e.lambda = {
        platform: 'report',
        ...(p.version !== undefined ? { version: p.version } : {}),
        ...(p.report !== undefined ? { report: p.report } : {}),
      };
    if (p.rules !== undefined) e.redaction = { rules: p.rules };
    if (p.route !== undefined) e.route = p.route;
    if (p.attributes !== undefined) e.attributes = p.attributes;
    return e;
  });

/** Every path to a value inside `v` (objects and arrays), the root excluded. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [[...at, k], ...paths((v as Record<string | number, unknown>)[k], [...at, k])]);
}

/** A valid event with one part broken: removed, replaced by any JSON value, or given a sibling key. */
const brokenEvent = fullEvent.chain((e) =>
  fc
    .tuple(
      fc.constantFrom(...paths(e)),
      fc.constantFrom('delete', 'replace', 'extra'),
      fc.oneof(fc.jsonValue(), fc.constantFrom('2024-05-01T12:00:00Z', 'fatal', 'trace', '', 1.5, true)),
      fc.constantFrom('x', '__proto__', 'constructor', 'id', 'name', 'message'),
    )
    .map(([path, how, value, key]) => {
      const copy = structuredClone(e) as unknown as Record<string | number, unknown>;
      let parent = copy;
      for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      const last = path[path.length - 1] as string | number;
      if (how === 'delete') delete parent[last];
      else if (how === 'replace') parent[last] = value;
      else if (!Array.isArray(parent)) Object.defineProperty(parent, key, { value, enumerable: true });
      return viaJson(copy);
    }),
);

describe('compileZodCheck(LogEventSchema) gives the schema’s verdict on parsed JSON', () => {
  it('accepts every valid event, with each optional part present or absent', () => {
    fc.assert(
      fc.property(fullEvent, (e) => {
        const v = viaJson(e);
        expect(LogEventSchema.safeParse(v).success).toBe(true);
        expect(isLogEvent(v)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the schema on events with one part deleted, replaced or given an extra key', () => {
    fc.assert(
      fc.property(brokenEvent, (v) => {
        expect(isLogEvent(v)).toBe(LogEventSchema.safeParse(v).success);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the schema on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(isLogEvent(v)).toBe(LogEventSchema.safeParse(v).success);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts what the normaliser makes of the realistic generator’s payloads', () => {
    const normalizer = compileNormalizer({ now: () => new Date(Date.UTC(2024, 4, 1)) });
    const events = generateKinesisPayloads({ seed: 7, records: 20, eventsPerRecord: 50 }).flatMap((p) =>
      normalizer.envelope(p.envelope),
    );
    expect(events.length).toBe(1000);
    for (const e of events) expect(isLogEvent(viaJson(e))).toBe(true);
  });
});

describe('compileZodCheck refuses schema parts it does not mirror', () => {
  it.each([
    ['a refinement', z.string().refine((s) => s.length > 1)],
    ['a length check', z.string().min(3)],
    ['a transform', z.string().transform((s) => s.length)],
    ['a default', z.string().default('x')],
    ['a stripping object', z.object({ a: z.string() })],
    ['a passthrough object', z.object({ a: z.string() }).passthrough()],
    ['an integer check', z.number().int()],
    ['a union', z.union([z.string(), z.number()])],
    ['a stateful regex', z.string().regex(/a/g)],
  ])('throws at compile time for %s', (_name, schema) => {
    expect(() => compileZodCheck(schema as z.ZodType)).toThrow(TypeError);
  });

  it.each([
    ['finite numbers only', z.number(), [1, -0.5], [Number.NaN, Number.POSITIVE_INFINITY, '1']],
    ['enum members', z.enum(['a', 'b']), ['a', 'b'], ['c', 0, null]],
    ['records of numbers', z.record(z.string(), z.number()), [{}, { a: 1 }], [{ a: 'x' }, [], null]],
    ['arrays of booleans', z.array(z.boolean()), [[], [true]], [[1], {}, 'true']],
    ['optional strings', z.object({ a: z.string().optional() }).strict(), [{}, { a: 'x' }], [{ a: 1 }]],
  ])('accepts exactly what the schema does: %s', (_name, schema, good, bad) => {
    const check = compileZodCheck(schema as z.ZodType);
    for (const v of [...good, ...bad]) expect(check(v)).toBe((schema as z.ZodType).safeParse(v).success);
    for (const v of good) expect(check(v)).toBe(true);
    for (const v of bad) expect(check(v)).toBe(false);
  });
});
