import { describe, expect, it } from 'vitest';
import { compileLogGroupMatcher, coveringPrefixes } from './matcher.js';

describe('compileLogGroupMatcher', () => {
  const matcher = compileLogGroupMatcher({
    include: ['/aws/lambda/*', '/ecs/orders-*'],
    exclude: ['/aws/lambda/sluice-*', '*-debug'],
  });

  it.each([
    ['/aws/lambda/orders', { subscribe: true, pattern: '/aws/lambda/*' }],
    ['/ecs/orders-api', { subscribe: true, pattern: '/ecs/orders-*' }],
    [
      '/aws/lambda/sluice-transform',
      { subscribe: false, reason: 'excluded', pattern: '/aws/lambda/sluice-*' },
    ],
    ['/aws/lambda/orders-debug', { subscribe: false, reason: 'excluded', pattern: '*-debug' }],
    ['/aws/rds/db', { subscribe: false, reason: 'not_included' }],
  ])('decides %s', (name, expected) => {
    expect(matcher.decide(name)).toEqual(expected);
  });

  it('lists each include prefix once', () => {
    expect(matcher.listPrefixes).toEqual(['/aws/lambda/', '/ecs/orders-']);
  });

  it('rejects an invalid exclude pattern naming its position', () => {
    expect(() => compileLogGroupMatcher({ include: ['*'], exclude: ['ok', 'bad|'] })).toThrow(/exclude\[1\]/);
  });
});

describe('coveringPrefixes', () => {
  it('keeps only prefixes no shorter one covers', () => {
    expect(coveringPrefixes(['/aws/lambda/a', '/aws/', '/ecs/', '/aws/lambda/'])).toEqual(['/aws/', '/ecs/']);
  });
  it('collapses to the empty prefix when one pattern starts with a wildcard', () => {
    expect(coveringPrefixes(['/aws/', ''])).toEqual(['']);
  });
});
