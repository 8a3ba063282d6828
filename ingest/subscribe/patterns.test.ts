import { describe, expect, it } from 'vitest';
import { SubscribeError } from './errors.js';
import { compileLogGroupGlob } from './patterns.js';

describe('compileLogGroupGlob', () => {
  it('compiles a valid pattern with the core glob compiler', () => {
    const glob = compileLogGroupGlob('/aws/lambda/orders-?');
    expect(glob.prefix).toBe('/aws/lambda/orders-');
    expect(glob.matches('/aws/lambda/orders-1')).toBe(true);
    expect(glob.matches('/aws/lambda/orders-12')).toBe(false);
  });

  it.each([
    ['', 'non-empty'],
    ['/aws/(lambda)|x', 'only letters'],
    ['/aws/lambda/[a-z]', 'only letters'],
    ['x'.repeat(513), 'at most 512'],
  ])('rejects %j with a typed error that says what was expected', (pattern, expected) => {
    let caught: unknown;
    try {
      compileLogGroupGlob(pattern, 'include[0]');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SubscribeError);
    expect((caught as SubscribeError).code).toBe('SUBSCRIBE_PATTERN_INVALID');
    expect((caught as SubscribeError).message).toContain('include[0]');
    expect((caught as SubscribeError).message).toContain(expected);
  });
});
