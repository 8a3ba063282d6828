import { describe, expect, it } from 'vitest';
import { decodeLetter, encodeLetter } from './letter.js';
import { parseDeadLetterSource } from './source.js';

describe('parseDeadLetterSource', () => {
  it.each([
    ['s3://my-dlq/dead-letters/', { kind: 's3', bucket: 'my-dlq', prefix: 'dead-letters/' }],
    ['s3://my-dlq', { kind: 's3', bucket: 'my-dlq', prefix: '' }],
    [
      'https://sqs.eu-west-1.amazonaws.com/123456789012/sluice-dlq',
      { kind: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sluice-dlq' },
    ],
    [
      'http://127.0.0.1:5000/123456789012/q',
      { kind: 'sqs', queueUrl: 'http://127.0.0.1:5000/123456789012/q' },
    ],
    ['./dead-letters.ndjson', { kind: 'file', path: './dead-letters.ndjson' }],
  ])('reads %s', (text, expected) => {
    expect(parseDeadLetterSource(text)).toEqual(expected);
  });

  it.each([['s3://'], ['s3://A_B/x'], ['https://example.com/not/a/queue/url'], ['']])(
    'rejects %j saying what was expected',
    (text) => {
      expect(() => parseDeadLetterSource(text)).toThrow(/expected/);
    },
  );
});

describe('decodeLetter', () => {
  const letter = {
    id: 'abc',
    at: '2024-05-01T12:00:00.000Z',
    stage: 'sink' as const,
    error: { code: 'X', message: 'y' },
    original: { message: 'm' },
  };

  it('reads back what encodeLetter wrote', () => {
    expect(decodeLetter(encodeLetter(letter), 'here')).toEqual(letter);
  });

  it.each([
    ['not json {', /here: expected a JSON dead letter/],
    [JSON.stringify({ ...letter, stage: 'elsewhere' }), /here: not a dead letter \(stage/],
    [JSON.stringify({ ...letter, extra: 1 }), /not a dead letter/],
  ])('rejects %j with where it came from', (text, error) => {
    expect(() => decodeLetter(text, 'here')).toThrow(error);
  });

  it('never echoes the stored content in its error', () => {
    expect(() => decodeLetter('secret-token-value', 'here')).toThrow(/a string of 18 characters/);
    expect(() => decodeLetter('secret-token-value', 'here')).not.toThrow(/secret/);
  });
});
