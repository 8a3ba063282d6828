import fc from 'fast-check';

/**
 * Text for the property tests of the redaction detectors' shortcuts (pre-checks, pre-scan):
 * pieces of what the detectors look for, near misses, whole keywords and secrets, and
 * non-ASCII characters (Unicode spaces, accents, the Kelvin sign, astral characters) that a
 * shortcut must never classify wrongly. `maxLength` parts are joined.
 */
export function detectorText(maxLength: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        fc.constantFrom(...'0145 9-.+():=@"\'\t\nxaeyJAKbf'.split('')),
        fc.constantFrom(
          'password',
          'PassWd',
          'pwd',
          'client_secret',
          'api-key',
          'apikey',
          'Token',
          'refresh_token',
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
          '555.123.4567',
          '(030) 123 4567',
          '+4915112345678',
          '10.0.0.1',
        ),
        fc.constantFrom(
          'bob@example.com',
          'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
          'AKIAIOSFODNN7EXAMPLE',
        ),
        fc.constantFrom(
          'password=',
          'api_key: ',
          'aws_secret_access_key=',
          'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        ),
        fc.constantFrom('-----BEGIN RSA PRIVATE KEY-----', 'dXNlcjpwYXNzd29yZA==', '2001:db8::1', '::'),
        fc.constantFrom('\u00a0', '\u2003', 'é', '\u212a', '😀'),
      ),
      { maxLength },
    )
    .map((parts) => parts.join(''));
}
