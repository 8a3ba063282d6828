import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from './errors.js';
import { parseQuery } from './query.js';
import type { QueryNode, RangeValue } from './query-ast.js';
import { fieldClause, formatQuery, quoteValue } from './query-print.js';

const word = (value: string, prefix = false): QueryNode => ({ kind: 'text', value, quoted: false, prefix });
const term = (field: string, ...values: string[]): QueryNode => ({
  kind: 'term',
  field,
  values,
  prefix: false,
});
const num = (value: number): RangeValue => ({ type: 'number', value });

describe('parseQuery: every construct', () => {
  it.each<[string, QueryNode]>([
    ['', { kind: 'all' }],
    ['   ', { kind: 'all' }],
    ['*', { kind: 'all' }],
    ['* level:error', term('log.level', 'error')],
    ['timeout', word('timeout')],
    ['pay*', word('pay', true)],
    ['"card declined"', { kind: 'text', value: 'card declined', quoted: true, prefix: false }],
    ['"card decl"*', { kind: 'text', value: 'card decl', quoted: true, prefix: true }],
    ['"say \\"hi\\" \\\\ ok"', { kind: 'text', value: 'say "hi" \\ ok', quoted: true, prefix: false }],
    ['service.name:orders', term('service.name', 'orders')],
    ['service:orders', term('service.name', 'orders')],
    ['tx:abc-1', term('transaction.id', 'abc-1')],
    ['request:r-1', term('faas.execution', 'r-1')],
    ['level:WARN,error', term('log.level', 'warn', 'error')],
    ['service:"my svc"', term('service.name', 'my svc')],
    ['service:"a,b"', term('service.name', 'a,b')],
    ['service:pay*', { kind: 'term', field: 'service.name', values: ['pay'], prefix: true }],
    ['attributes.url:http://x/y?a=1', term('attributes.url', 'http://x/y?a=1')],
    ['attributes.http.status:500', term('attributes.http.status', '500')],
    ['faas.coldstart:true', term('faas.coldstart', 'true')],
    ['lambda.report.memory_size_mb:128', term('lambda.report.memory_size_mb', '128')],
    ['message:timeout', { kind: 'text', value: 'timeout', quoted: false, prefix: false, field: 'message' }],
    [
      'error.message:"no funds"',
      { kind: 'text', value: 'no funds', quoted: true, prefix: false, field: 'error.message' },
    ],
    ['error.type:*', { kind: 'exists', field: 'error.type' }],
    ['attributes.order_id:*', { kind: 'exists', field: 'attributes.order_id' }],
    [
      'duration>100',
      { kind: 'range', field: 'lambda.report.duration_ms', lower: { value: num(100), inclusive: false } },
    ],
    [
      'duration:>=100.5',
      { kind: 'range', field: 'lambda.report.duration_ms', lower: { value: num(100.5), inclusive: true } },
    ],
    [
      'attributes.http.status>=500',
      { kind: 'range', field: 'attributes.http.status', lower: { value: num(500), inclusive: true } },
    ],
    [
      'attributes.code<"b c"',
      {
        kind: 'range',
        field: 'attributes.code',
        upper: { value: { type: 'string', value: 'b c' }, inclusive: false },
      },
    ],
    [
      'service.name<m',
      {
        kind: 'range',
        field: 'service.name',
        upper: { value: { type: 'string', value: 'm' }, inclusive: false },
      },
    ],
    [
      '@timestamp>now-5m',
      {
        kind: 'range',
        field: '@timestamp',
        lower: { value: { type: 'relative', amount: -5, unit: 'm' }, inclusive: false },
      },
    ],
    [
      '@timestamp<=now',
      {
        kind: 'range',
        field: '@timestamp',
        upper: { value: { type: 'relative', amount: 0, unit: 's' }, inclusive: true },
      },
    ],
    [
      '@timestamp>=2026-12-05T10:00:00Z',
      {
        kind: 'range',
        field: '@timestamp',
        lower: { value: { type: 'time', epochMs: Date.UTC(2026, 11, 5, 10) }, inclusive: true },
      },
    ],
    [
      '@timestamp<2026-12-05',
      {
        kind: 'range',
        field: '@timestamp',
        upper: { value: { type: 'time', epochMs: Date.UTC(2026, 11, 5) }, inclusive: false },
      },
    ],
    [
      '@timestamp>2026-12-05T11:00:00+01:00',
      {
        kind: 'range',
        field: '@timestamp',
        lower: { value: { type: 'time', epochMs: Date.UTC(2026, 11, 5, 10) }, inclusive: false },
      },
    ],
    [
      'duration:[100 TO 500}',
      {
        kind: 'range',
        field: 'lambda.report.duration_ms',
        lower: { value: num(100), inclusive: true },
        upper: { value: num(500), inclusive: false },
      },
    ],
    [
      'duration:{* TO 5]',
      { kind: 'range', field: 'lambda.report.duration_ms', upper: { value: num(5), inclusive: true } },
    ],
    ['level>=error', term('log.level', 'error', 'fatal')],
    ['level<info', term('log.level', 'trace', 'debug')],
    ['-timeout', { kind: 'not', child: word('timeout') }],
    ['NOT service:orders', { kind: 'not', child: term('service.name', 'orders') }],
    ['a b', { kind: 'and', children: [word('a'), word('b')] }],
    ['a AND b', { kind: 'and', children: [word('a'), word('b')] }],
    ['a OR b', { kind: 'or', children: [word('a'), word('b')] }],
    // Precedence NOT > AND > OR.
    ['a b OR c', { kind: 'or', children: [{ kind: 'and', children: [word('a'), word('b')] }, word('c')] }],
    ['a OR b c', { kind: 'or', children: [word('a'), { kind: 'and', children: [word('b'), word('c')] }] }],
    ['NOT a b', { kind: 'and', children: [{ kind: 'not', child: word('a') }, word('b')] }],
    ['a (b OR c)', { kind: 'and', children: [word('a'), { kind: 'or', children: [word('b'), word('c')] }] }],
    ['-(a OR b)', { kind: 'not', child: { kind: 'or', children: [word('a'), word('b')] } }],
    ['(a OR (b OR c))', { kind: 'or', children: [word('a'), word('b'), word('c')] }],
    ['( a )', word('a')],
    ['and or not', { kind: 'and', children: [word('and'), word('or'), word('not')] }],
    ['4bf92f3577b34da6a3ce929d0e0e4736', word('4bf92f3577b34da6a3ce929d0e0e4736')],
  ])('parses %s', (input, root) => {
    expect(parseQuery(input).root).toEqual(root);
  });
});

describe('parseQuery: errors say where, what was found and what was expected', () => {
  it.each<
    [string, { position: number; length?: number; found?: string; message: RegExp; suggestion?: string }]
  >([
    ['level:(', { position: 6, found: '"("', message: /a value is missing after "level:"/ }],
    ['level:error)', { position: 11, found: '")"', message: /unmatched closing parenthesis/ }],
    [':', { position: 0, found: '":"', message: /a field name is missing/ }],
    ['>5', { position: 0, message: /a field name is missing/ }],
    ['-', { position: 0, found: 'end of query', message: /- must be followed directly by a clause/ }],
    ['a - b', { position: 2, found: 'a space', message: /- must be followed/ }],
    [
      'service.nam:orders',
      { position: 0, length: 11, message: /unknown field service\.nam/, suggestion: 'service.name' },
    ],
    ['lvel:error', { position: 0, length: 4, message: /unknown field/, suggestion: 'level' }],
    [
      'x http.status>=500',
      { position: 2, length: 11, message: /unknown field/, suggestion: 'attributes.http.status' },
    ],
    ['level:eror', { position: 0, message: /unknown level/, suggestion: 'error' }],
    ['"unterminated', { position: 0, length: 13, found: 'end of query', message: /unterminated quote/ }],
    ['service:"open', { position: 8, message: /unterminated quote/ }],
    ['service:', { position: 8, found: 'end of query', message: /a value is missing/ }],
    ['service: x', { position: 8, found: 'a space', message: /a value is missing/ }],
    ['service:a,,b', { position: 8, message: /an empty value/ }],
    ['service:a*b', { position: 9, message: /wildcard may only end/ }],
    ['pa*y', { position: 2, message: /wildcard may only end/ }],
    ['__proto__.x:1', { position: 0, message: /invalid field name/ }],
    ['attributes.constructor:1', { position: 0, message: /invalid field name/ }],
    ['9lives:1', { position: 0, message: /invalid field name/ }],
    ['(a', { position: 0, found: 'end of query', message: /unclosed parenthesis/ }],
    ['(a b c', { position: 0, message: /unclosed parenthesis/ }],
    ['()', { position: 1, message: /empty parentheses/ }],
    [')', { position: 0, message: /unmatched closing/ }],
    ['a OR', { position: 2, message: /OR needs a clause on its right/ }],
    ['a OR OR b', { position: 2, message: /OR needs a clause/ }],
    ['OR a', { position: 0, message: /needs a clause on its left/ }],
    ['a AND', { position: 2, message: /AND needs a clause/ }],
    ['foo NOT', { position: 4, message: /NOT needs a clause/ }],
    ['-*', { position: 0, message: /negated \* would match nothing/ }],
    ['NOT *', { position: 0, message: /negated \* would match nothing/ }],
    ['"a"b', { position: 3, message: /separated by a space/ }],
    ['a"b"', { position: 1, found: 'a quote', message: /separated by a space/ }],
    ['"%%%"', { position: 0, length: 5, message: /no letters or digits/ }],
    ['%%%', { position: 0, message: /no letters or digits/ }],
    ['@timestamp>5 minutes ago', { position: 11, message: /@timestamp is a time/ }],
    ['@timestamp>now-5y', { position: 11, message: /@timestamp is a time/ }],
    ['@timestamp:2026-12-05', { position: 0, message: /@timestamp is a time/ }],
    ['duration>fast', { position: 9, message: /is a number/ }],
    ['duration:abc', { position: 0, message: /is a number/ }],
    ['faas.coldstart:yes', { position: 0, message: /is a boolean/ }],
    ['message>a', { position: 7, message: /it has no order/ }],
    ['message:a,b', { position: 0, message: /a text field takes one value/ }],
    ['duration:[1 500]', { position: 12, message: /a range needs TO/ }],
    ['duration:[1 TO 5', { position: 9, found: 'end of query', message: /unclosed range/ }],
    ['duration:[* TO *]', { position: 9, message: /at least one bound/ }],
    ['duration>', { position: 9, message: /a value is missing after "duration>"/ }],
    ['level>fatal', { position: 6, message: /no level is beyond/ }],
    ['x'.repeat(2001), { position: 0, length: 2001, message: /too long/ }],
    ['('.repeat(100), { position: 64, message: /nests too deeply/ }],
  ])('rejects %s', (input, want) => {
    let caught: unknown;
    try {
      parseQuery(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QuerySyntaxError);
    const err = caught as QuerySyntaxError;
    expect(err.code).toBe('SEARCH_QUERY_SYNTAX');
    expect(err.message).toMatch(want.message);
    expect(err.position).toBe(want.position);
    if (want.length !== undefined) expect(err.length).toBe(want.length);
    if (want.found !== undefined) expect(err.found).toBe(want.found);
    expect(err.expected.length).toBeGreaterThan(0);
    expect(err.suggestion).toBe(want.suggestion);
    expect(err.message).toContain(`at character ${want.position + 1}`);
    if (want.suggestion) expect(err.message).toContain(`did you mean ${want.suggestion}?`);
  });

  it('never echoes a value of the query in its error message', () => {
    expect(() => parseQuery('secret-token-123 "oops')).toThrow(/^(?!.*secret-token-123).*$/s);
    expect(() => parseQuery('service:hunter2,,x')).toThrow(/^(?!.*hunter2).*$/s);
    expect(() => parseQuery('duration>hunter2')).toThrow(/^(?!.*hunter2).*$/s);
  });

  it('serializes to the HTTP shape and back', () => {
    let err: QuerySyntaxError | undefined;
    try {
      parseQuery('service.nam:orders');
    } catch (e) {
      err = e as QuerySyntaxError;
    }
    const json = JSON.parse(JSON.stringify(err)) as ReturnType<QuerySyntaxError['toJSON']>;
    expect(json).toMatchObject({
      code: 'SEARCH_QUERY_SYNTAX',
      position: 0,
      length: 11,
      suggestion: 'service.name',
    });
    expect(QuerySyntaxError.fromJSON(json).toJSON()).toEqual(json);
  });
});

/** Query-ish input: the characters the grammar gives a meaning, and a few words. */
const queryish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ' ',
        '(',
        ')',
        '"',
        '\\',
        '-',
        '*',
        ':',
        '>',
        '<',
        '=',
        ',',
        '[',
        ']',
        '{',
        '}',
        'TO',
        ' OR ',
        ' AND ',
        'NOT ',
      ),
      fc.constantFrom(
        'service',
        'level',
        'error',
        'duration',
        '@timestamp',
        'attributes.x',
        'now-5m',
        '2026-12-05',
        '12',
        'a',
        'é',
      ),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

describe('parseQuery: properties', () => {
  it('never throws anything but QuerySyntaxError, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), queryish, fc.string({ unit: 'binary', maxLength: 40 })),
        (s) => {
          try {
            parseQuery(s);
          } catch (err) {
            expect(err).toBeInstanceOf(QuerySyntaxError);
            const e = err as QuerySyntaxError;
            expect(e.position).toBeGreaterThanOrEqual(0);
            expect(e.position).toBeLessThanOrEqual(s.length);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads back what it prints: parse(format(parse(s))) = parse(s)', () => {
    fc.assert(
      fc.property(queryish, (s) => {
        let q: ReturnType<typeof parseQuery>;
        try {
          q = parseQuery(s);
        } catch {
          return;
        }
        expect(parseQuery(formatQuery(q))).toEqual(q);
      }),
      { numRuns: 3000 },
    );
  });

  it('prints negative zero as -0 (found by the tree property)', () => {
    expect(formatQuery(parseQuery('duration>-0'))).toBe('lambda.report.duration_ms>-0');
  });

  it('round-trips any tree: parse(format(tree)) = tree', () => {
    const simple = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    const anyText = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /[\p{L}\p{N}]/u.test(s));
    const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
      fc.record({
        kind: fc.constant('text' as const),
        value: simple,
        quoted: fc.constant(false),
        prefix: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('text' as const),
        value: anyText,
        quoted: fc.constant(true),
        prefix: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('text' as const),
        value: simple,
        quoted: fc.boolean(),
        prefix: fc.boolean(),
        field: fc.constantFrom('message' as const, 'error.message' as const),
      }),
      fc.record({
        kind: fc.constant('term' as const),
        field: fc.constantFrom('service.name', 'transaction.id', 'attributes.a_b'),
        values: fc.oneof(
          fc.tuple(fc.string({ maxLength: 10 })),
          fc.array(simple, { minLength: 2, maxLength: 3 }),
        ),
        prefix: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('exists' as const),
        field: fc.constantFrom('error.type', 'attributes.k', 'span.id'),
      }),
      fc.record({
        kind: fc.constant('range' as const),
        field: fc.constant('lambda.report.duration_ms'),
        lower: fc.record({
          value: fc.double({ noNaN: true, noDefaultInfinity: true }).map(num),
          inclusive: fc.boolean(),
        }),
      }),
      fc.record({
        kind: fc.constant('range' as const),
        field: fc.constant('@timestamp'),
        lower: fc.record({
          value: fc.integer({ min: 0, max: 4e12 }).map((epochMs): RangeValue => ({ type: 'time', epochMs })),
          inclusive: fc.boolean(),
        }),
        upper: fc.record({
          value: fc
            .tuple(fc.integer({ min: -999, max: 999 }), fc.constantFrom('s', 'm', 'h', 'd', 'w' as const))
            .map(
              ([amount, unit]): RangeValue => ({ type: 'relative', amount, unit: amount === 0 ? 's' : unit }),
            ),
          inclusive: fc.boolean(),
        }),
      }),
      fc.record({
        kind: fc.constant('range' as const),
        field: fc.constant('attributes.code'),
        upper: fc.record({
          value: simple.map((value): RangeValue => ({ type: 'string', value })),
          inclusive: fc.boolean(),
        }),
      }),
    );
    const tree = fc.letrec<{ node: QueryNode }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ kind: fc.constant('not' as const), child: tie('node') }),
        fc.record({
          kind: fc.constant('and' as const),
          children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }),
        }),
        fc.record({
          kind: fc.constant('or' as const),
          children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }),
        }),
      ),
    })).node;
    /** The parser's one shape per meaning: nested ANDs (ORs) are one AND (OR). */
    const normal = (n: QueryNode): QueryNode => {
      if (n.kind === 'not') return { kind: 'not', child: normal(n.child) };
      if (n.kind === 'and' || n.kind === 'or') {
        const children = n.children
          .map(normal)
          .flatMap((c) => (c.kind === n.kind ? (c as typeof n).children : [c]));
        return { kind: n.kind, children };
      }
      return n;
    };
    fc.assert(
      fc.property(tree, (root) => {
        const expected = { root: normal(root) };
        expect(parseQuery(formatQuery(expected))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('quoteValue / fieldClause (facet and chip clicks)', () => {
  it.each([
    ['orders', 'orders'],
    ['my service', '"my service"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['a,b', '"a,b"'],
    ['x*', '"x*"'],
    ['f(x)', '"f(x)"'],
    ['', '""'],
    ['OR', '"OR"'],
    ['>5', '">5"'],
    ['c:\\temp', '"c:\\\\temp"'],
    ['http://x/y', 'http://x/y'],
  ])('writes %j as %s', (value, written) => {
    expect(quoteValue(value)).toBe(written);
  });

  it('builds a clause that matches exactly the value, whatever it holds (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('service.name', 'attributes.order_id', 'aws.cloudwatch.log_stream'),
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.boolean(),
        (field, value, negate) => {
          const t: QueryNode = { kind: 'term', field, values: [value], prefix: false };
          expect(parseQuery(fieldClause(field, value, negate)).root).toEqual(
            negate ? { kind: 'not', child: t } : t,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
