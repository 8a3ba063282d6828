import { describe, expect, it } from 'vitest';
import { describeValue, SluiceError } from './errors.js';

describe('SluiceError', () => {
  it('keeps a stable code and the subclass name', () => {
    class DecodeError extends SluiceError {}
    const err = new DecodeError('INGEST_BAD', 'bad record');
    expect(err.code).toBe('INGEST_BAD');
    expect(err.name).toBe('DecodeError');
    expect(err).toBeInstanceOf(Error);
  });
});

describe('describeValue', () => {
  it.each([
    [null, 'null'],
    ['secret-token', 'a string of 12 characters'],
    [[1, 2], 'an array of 2 items'],
    [{ password: 'x' }, 'an object with 1 keys'],
    [42, 'a number'],
  ])('describes %j without echoing its content', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
    expect(describeValue(value)).not.toContain('secret');
  });
});
