import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DETECTOR_IDS, DETECTORS } from './detectors.js';
import { DETECTOR_NEEDS, F_ALL, textFeatures } from './prescan.js';

/** Text built from the pieces the detectors look for, near misses, and non-ASCII characters. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '0',
        '4',
        '5',
        '9',
        ' ',
        '-',
        '.',
        '+',
        '(',
        ')',
        ':',
        '=',
        '@',
        '"',
        '\t',
        '\n',
        'x',
        'e',
        'y',
      ),
      fc.constantFrom(
        'J',
        'A',
        'K',
        'a',
        'b',
        'f',
        'Bearer',
        'basic ',
        'TOKEN',
        'Digest',
        'eyJ',
        'AKIA',
        'ASIA',
      ),
      fc.constantFrom(
        '4111 1111 1111 1111',
        '4111-1111-1111-1111',
        '555-123-4567',
        '+4915112345678',
        '10.0.0.1',
      ),
      fc.constantFrom('bob@example.com', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'AKIAIOSFODNN7EXAMPLE'),
      fc.constantFrom(
        'password=',
        'api_key: ',
        'aws_secret_access_key=',
        'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      ),
      fc.constantFrom('-----BEGIN RSA PRIVATE KEY-----', 'dXNlcjpwYXNzd29yZA==', '2001:db8::1', '::'),
      fc.constantFrom('\u00a0', '\u2003', 'é', '\u212a', '😀'),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

describe('pre-scan (fail closed)', () => {
  it('never rules out a detector that matches the string', () => {
    fc.assert(
      fc.property(text, (s) => {
        const features = textFeatures(s);
        for (const id of DETECTOR_IDS)
          if (DETECTORS[id](s) !== undefined)
            expect([id, s, features & DETECTOR_NEEDS[id]]).toEqual([id, s, DETECTOR_NEEDS[id]]);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives text with any non-ASCII character every feature', () => {
    expect(textFeatures('token\u00a0abc')).toBe(F_ALL);
    expect(textFeatures('plain words only')).toBe(0);
    expect(textFeatures('Bearer abc')).not.toBe(0);
  });
});
