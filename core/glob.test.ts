import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob.js';

/** Reference semantics for the property test only: the glob as an anchored regex. */
function reference(pattern: string, question = true): RegExp {
  const body = pattern
    .replace(/[.\-/#?]/g, (c) => (c === '?' && question ? '.' : `\\${c}`))
    .replace(/\*/g, '.*');
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
    ['*password*', 'dbpasswordhash', true],
    ['*token', 'accesstokens', false],
  ])('%s matches %s → %s', (pattern, name, expected) => {
    expect(compileGlob(pattern).matches(name)).toBe(expected);
  });

  it('extracts the literal prefix before the first wildcard', () => {
    expect(compileGlob('/aws/lambda/orders-*').prefix).toBe('/aws/lambda/orders-');
    expect(compileGlob('*').prefix).toBe('');
    expect(compileGlob('/a/b').prefix).toBe('/a/b');
  });

  it('treats ? as a literal when question is false', () => {
    const g = compileGlob('why?*', { question: false });
    expect(g.matches('why?not')).toBe(true);
    expect(g.matches('whynot')).toBe(false);
    expect(g.prefix).toBe('why?');
  });

  it('handles a pathological pattern against a long non-matching name (no exponential backtracking)', () => {
    const glob = compileGlob(`${'*a'.repeat(40)}b`);
    expect(glob.matches('a'.repeat(500))).toBe(false);
    expect(glob.matches(`${'a'.repeat(499)}b`)).toBe(true);
  });

  it.each([true, false])(
    'agrees with the reference semantics on random globs and names (question %s)',
    (q) => {
      const alphabet = fc.constantFrom('a', 'b', '/', '-', '*', '?');
      const nameChars = fc.constantFrom('a', 'b', '/', '-', '?');
      fc.assert(
        fc.property(
          fc.string({ unit: alphabet, minLength: 1, maxLength: 12 }),
          fc.string({ unit: nameChars, maxLength: 16 }),
          (pattern, name) =>
            compileGlob(pattern, { question: q }).matches(name) === reference(pattern, q).test(name),
        ),
        { numRuns: 2000 },
      );
    },
  );
});
