import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_REGEXES,
  DETECTOR_MIN_LENGTH,
  DETECTORS,
  type DetectorId,
  isCardNumber,
  luhn,
  type Spans,
} from './detectors.js';

function redactWith(id: DetectorId, s: string): string {
  const spans = DETECTORS[id](s);
  return spans ? replaceSpans(s, spans, () => '#') : s;
}

describe('built-in detectors', () => {
  describe.each<[DetectorId, string, string]>([
    ['email', 'mail bob.smith+x@example.co.uk now', 'mail # now'],
    ['payment_card', 'card 4111 1111 1111 1111 ok', 'card # ok'],
    ['payment_card', 'card 4111-1111-1111-1111', 'card #'],
    ['payment_card', 'amex 378282246310005.', 'amex #.'],
    ['payment_card', 'id 12 4111111111111111', 'id 12 #'],
    ['jwt', 'auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end', 'auth # end'],
    ['aws_access_key_id', 'key AKIAIOSFODNN7EXAMPLE used', 'key # used'],
    [
      'aws_secret_access_key',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key=#',
    ],
    ['auth_header', 'Authorization: Bearer abc.DEF-123_456', 'Authorization: Bearer #'],
    ['auth_header', 'basic dXNlcjpwYXNzd29yZA==', 'basic #'],
    [
      'private_key',
      'k=-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY----- done',
      'k=# done',
    ],
    ['private_key', 'k=-----BEGIN PRIVATE KEY-----\nMIIB cut off', 'k=#'],
    ['credential_assignment', 'login password=hunter2&user=bob', 'login password=#&user=bob'],
    ['credential_assignment', '{"api_key": "abc123"}', '{"api_key": "#"}'],
    ['ipv4', 'from 10.0.12.255 via', 'from # via'],
    ['ipv6', 'from 2001:db8::1 via', 'from # via'],
    ['phone', 'call +4915112345678 or 555-123-4567', 'call # or #'],
  ])('%s redacts only the secret in %j', (id, input, expected) => {
    it('finds it', () => expect(redactWith(id, input)).toBe(expected));
  });

  describe.each<[DetectorId, string]>([
    ['email', 'user@localhost and @mentions'],
    ['payment_card', 'card 4111 1111 1111 1112 fails luhn'],
    ['payment_card', 'epoch 1700000000000 is not a card (first digit 1)'],
    ['jwt', 'eyJ alone and eyJabc.notjwt'],
    ['aws_access_key_id', 'AKIA too short'],
    ['auth_header', 'Basic authentication is described here'],
    ['ipv4', 'version 1.2.3.4.5 and 999.1.1.1'],
    ['ipv6', 'time 12:00:00.000'],
    ['ipv6', 'std::vector and Foo::bar'],
    ['ipv6', 'section :: title and (::)'],
    ['phone', 'date 2024-05-01 and 10.0.0.1'],
  ])('%s leaves %j alone', (id, input) => {
    it('finds nothing', () => expect(DETECTORS[id](input)).toBeUndefined());
  });

  it.each<[DetectorId, string]>([
    ['email', 'a@b.co'],
    [
      'payment_card',
      '4111111111111'.slice(0, 12) +
        String([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((d) => luhn(`411111111111${d}`))),
    ],
    ['jwt', 'eyJa.eyJb.'],
    ['aws_access_key_id', 'AKIAIOSFODNN7EXAMPLE'],
    ['aws_secret_access_key', 'awssecretkey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['auth_header', 'Token 1bcdefgh'],
    ['private_key', '-----BEGIN PRIVATE KEY-----'],
    ['credential_assignment', 'pwd=x'],
    ['ipv4', '1.1.1.1'],
    ['ipv6', '::1'],
    ['phone', '+12345678'],
  ])('%s: the minimum length bound is not above its smallest match %j', (id, smallest) => {
    expect(DETECTORS[id](smallest)).toBeDefined();
    expect(DETECTOR_MIN_LENGTH[id]).toBeLessThanOrEqual(smallest.length);
  });

  it('checks Luhn and the card shape', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('411111111111')).toBe(false);
    expect(isCardNumber('1111111111111117')).toBe(false);
  });

  it('finds every regex literal of filters/redact (so the ReDoS check below covers a new one by itself)', () => {
    const literals = regexLiteralsIn(REDACT_DIR);
    expect(literals.length).toBeGreaterThanOrEqual(BUILT_IN_REGEXES.length);
    for (const re of BUILT_IN_REGEXES) {
      // every listed detector regex is a literal the scan found (none is built at run time)
      expect(literals.map((l) => `/${l.source}/${l.flags}`)).toContain(`/${re.source}/${re.flags}`);
    }
  });

  it.each(regexesToCheck().map((re) => [`/${re.source}/${re.flags}`, re] as const))(
    'regex %s is linear (recheck)',
    // recheck runs a native checker in a subprocess: its wall time grows on a loaded machine, and
    // a timed-out check answers 'unknown', so give it room (this is a proof, not a speed test).
    { timeout: 120_000 },
    (_src, re) => {
      const flags = re.flags.replace(/[gyd]/g, '');
      // A sticky regex is only ever tried at one position (the scanner moves past what it read).
      const source = re.sticky ? `^(?:${re.source})` : re.source;
      expect(checkSync(source, flags, { timeout: 100_000 }).status).toBe('safe');
    },
  );
});

/** Replaces every span of `s` with `replace(matched text)`. */
function replaceSpans(s: string, spans: Spans, replace: (match: string) => string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const start = spans[i]!;
    const end = spans[i + 1]!;
    out += s.slice(last, start) + replace(s.slice(start, end));
    last = end;
  }
  return out + s.slice(last);
}

const REDACT_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Every regex literal in the non-test sources of `dir` (parsed with the TypeScript compiler). */
function regexLiteralsIn(dir: string): RegExp[] {
  const out: RegExp[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test.'))) {
    const sf = ts.createSourceFile(
      file,
      readFileSync(path.join(dir, file), 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(sf);
        const end = text.lastIndexOf('/');
        out.push(new RegExp(text.slice(1, end), text.slice(end + 1)));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** The detector regexes and every other regex literal of the redaction code, once each. */
function regexesToCheck(): RegExp[] {
  const seen = new Map<string, RegExp>();
  for (const re of [...BUILT_IN_REGEXES, ...regexLiteralsIn(REDACT_DIR)])
    seen.set(`/${re.source}/${re.flags}`, re);
  return [...seen.values()];
}
