import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from './errors.js';
import { formatQuery, parseQuery } from './query.js';

describe('parseQuery', () => {
  it('parses an empty query to no clauses', () => {
    expect(parseQuery('   ').clauses).toEqual([]);
  });

  it('reads * alone as everything (no clause), beside other clauses too', () => {
    expect(parseQuery('*').clauses).toEqual([]);
    expect(parseQuery(' * level:error').clauses).toEqual([
      { kind: 'field', field: 'log.level', values: ['error'], prefix: false, negate: false },
    ]);
    expect(parseQuery('"*"').clauses).toEqual([
      { kind: 'text', value: '*', phrase: true, prefix: false, negate: false },
    ]);
  });

  it.each([
    ['payment', [{ kind: 'text', value: 'payment', phrase: false, prefix: false, negate: false }]],
    [
      '"card declined"',
      [{ kind: 'text', value: 'card declined', phrase: true, prefix: false, negate: false }],
    ],
    ['pay*', [{ kind: 'text', value: 'pay', phrase: false, prefix: true, negate: false }]],
    ['-timeout', [{ kind: 'text', value: 'timeout', phrase: false, prefix: false, negate: true }]],
    [
      'service.name:orders',
      [{ kind: 'field', field: 'service.name', values: ['orders'], prefix: false, negate: false }],
    ],
    ['level:error', [{ kind: 'field', field: 'log.level', values: ['error'], prefix: false, negate: false }]],
    [
      'tx:abc-1',
      [{ kind: 'field', field: 'transaction.id', values: ['abc-1'], prefix: false, negate: false }],
    ],
    [
      'level:warn,error',
      [{ kind: 'field', field: 'log.level', values: ['warn', 'error'], prefix: false, negate: false }],
    ],
    [
      'service:"my svc"',
      [{ kind: 'field', field: 'service.name', values: ['my svc'], prefix: false, negate: false }],
    ],
    [
      '-service:orders',
      [{ kind: 'field', field: 'service.name', values: ['orders'], prefix: false, negate: true }],
    ],
    [
      'NOT service:orders',
      [{ kind: 'field', field: 'service.name', values: ['orders'], prefix: false, negate: true }],
    ],
    [
      'service:pay*',
      [{ kind: 'field', field: 'service.name', values: ['pay'], prefix: true, negate: false }],
    ],
    [
      'attributes.http.status:500',
      [{ kind: 'field', field: 'attributes.http.status', values: ['500'], prefix: false, negate: false }],
    ],
    [
      'msg:"say \\"hi\\""',
      [{ kind: 'field', field: 'msg', values: ['say "hi"'], prefix: false, negate: false }],
    ],
    [
      'url:http://x/y',
      [{ kind: 'field', field: 'url', values: ['http://x/y'], prefix: false, negate: false }],
    ],
  ])('parses %s', (input, clauses) => {
    expect(parseQuery(input).clauses).toEqual(clauses);
  });

  it('combines clauses with AND (the word AND is allowed)', () => {
    const q = parseQuery('service:orders AND level:error  timeout');
    expect(q.clauses.map((c) => c.kind)).toEqual(['field', 'field', 'text']);
  });

  it.each([
    ['"unterminated', /unterminated quote/],
    ['service:"open', /unterminated quote/],
    ['service:', /missing value/],
    ['__proto__.x:1', /invalid field name/],
    ['a.constructor:1', /invalid field name/],
    ['9lives:1', /invalid field name/],
    ['a OR b', /OR is not supported/],
    ['foo NOT', /NOT must be followed/],
    ['-*', /negated \* would match nothing/],
    ['NOT *', /negated \* would match nothing/],
    ['"a"b', /expected a space/],
    ['x'.repeat(2001), /at most 2000/],
  ])('rejects %s with a typed error saying what was expected', (input, message) => {
    expect(() => parseQuery(input)).toThrow(QuerySyntaxError);
    expect(() => parseQuery(input)).toThrow(message);
  });

  it('never echoes the query in its error message', () => {
    expect(() => parseQuery('secret-token-123 "oops')).toThrow(/^(?!.*secret-token-123).*$/s);
  });

  it('never throws anything but QuerySyntaxError, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        try {
          parseQuery(s);
        } catch (err) {
          expect(err).toBeInstanceOf(QuerySyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips through formatQuery (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    const clause = fc.oneof(
      fc.record({
        kind: fc.constant('text' as const),
        value: word,
        phrase: fc.constant(false),
        prefix: fc.boolean(),
        negate: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('text' as const),
        value: fc.stringMatching(/^[a-z]+ [a-z]+$/),
        phrase: fc.constant(true),
        prefix: fc.constant(false),
        negate: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('field' as const),
        field: fc.constantFrom('service.name', 'log.level', 'attributes.a_b'),
        values: fc.array(word, { minLength: 1, maxLength: 3 }),
        prefix: fc.constant(false),
        negate: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.array(clause, { maxLength: 5 }), (clauses) => {
        const q = {
          clauses: clauses.filter((c) => !(c.kind === 'text' && ['AND', 'NOT', 'OR'].includes(c.value))),
        };
        expect(parseQuery(formatQuery(q))).toEqual(q);
      }),
    );
  });
});
