import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SubscribeError } from './errors.js';
import { compileGlob } from './patterns.js';

/** Reference semantics for the property test only: the glob as an anchored regex. */
function reference(pattern: string): RegExp {
  const body = pattern
    .replace(/[.\-/#]/g, (c) => `\\${c}`)
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

describe('compileGlob', () => {
  it.each([
    ['/aws/lambda/*', '/aws/lambda/orders', true],
    ['/aws/lambda/*', '/aws/lambda/a/b', true],
    ['/aws/lambda/*', '/aws/ecs/x', false],
    ['/aws/lambda/orders-?', '/aws/lambda/orders-1', true],
    ['/aws/lambda/orders-?', '/aws/lambda/orders-12', false],
    ['*-prod', '/aws/lambda/api-prod', true],
    ['*-prod', '/aws/lambda/api-prod-2', false],
    ['/aws/*/api-*-prod', '/aws/lambda/api-x-y-prod', true],
    ['/exact', '/exact', true],
    ['/exact', '/exact2', false],
    ['**', '', true],
  ])('%s matches %s → %s', (pattern, name, expected) => {
    expect(compileGlob(pattern).matches(name)).toBe(expected);
  });

  it('extracts the literal prefix before the first wildcard', () => {
    expect(compileGlob('/aws/lambda/orders-*').prefix).toBe('/aws/lambda/orders-');
    expect(compileGlob('*').prefix).toBe('');
    expect(compileGlob('/a/b').prefix).toBe('/a/b');
  });

  it.each([
    ['', 'non-empty'],
    ['/aws/(lambda)|x', 'only letters'],
    ['/aws/lambda/[a-z]', 'only letters'],
    ['x'.repeat(513), 'at most 512'],
  ])('rejects %j with a typed error that says what was expected', (pattern, expected) => {
    let caught: unknown;
    try {
      compileGlob(pattern, 'include[0]');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SubscribeError);
    expect((caught as SubscribeError).code).toBe('SUBSCRIBE_PATTERN_INVALID');
    expect((caught as SubscribeError).message).toContain('include[0]');
    expect((caught as SubscribeError).message).toContain(expected);
  });

  it('handles a pathological pattern against a long non-matching name (no exponential backtracking)', () => {
    const glob = compileGlob(`${'*a'.repeat(40)}b`);
    expect(glob.matches('a'.repeat(500))).toBe(false);
    expect(glob.matches(`${'a'.repeat(499)}b`)).toBe(true);
  });

  it('agrees with the reference semantics on random globs and names', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '-', '*', '?');
    const nameChars = fc.constantFrom('a', 'b', '/', '-');
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, minLength: 1, maxLength: 12 }),
        fc.string({ unit: nameChars, maxLength: 16 }),
        (pattern, name) => compileGlob(pattern).matches(name) === reference(pattern).test(name),
      ),
      { numRuns: 2000 },
    );
  });
});
