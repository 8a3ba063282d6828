import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { inNativeSubset } from './native-regex.js';
import { compileAuthorRegex, nativeRegex } from './regex.js';

/** Non-empty match spans as RE2 itself finds them (the reference). */
function re2Spans(re: RE2JS, s: string): number[] | undefined {
  const m = re.matcher(s);
  const out: number[] = [];
  while (m.find()) if (m.end() > m.start()) out.push(m.start(), m.end());
  return out.length ? out : undefined;
}

const SUBSET = [
  'SKU-[0-9a-f]{6}',
  '^/(health|ready)$',
  '\\bid-\\d{2,4}\\b',
  'ab|a',
  'x(?:ab)*?y',
  'a{2,}|b?c',
  '[A-Z][a-z_]{1,3}',
  '\\d{1,6}\\.\\d',
  'u-[0-9]{3}$',
  'k=\\w{2}',
  // A prefix that overlaps itself: spans are searched from each occurrence of `SS`.
  'SS[SK]{1,2}|SSU',
];

describe('native author regexes', () => {
  it('accepts only the subset where RE2 and JavaScript agree', () => {
    for (const p of SUBSET) expect([p, inNativeSubset(p)]).toEqual([p, true]);
    for (const p of [
      'a.b', // `.` differs on line terminators and code points
      '\\s+', // Unicode spaces differ
      '[^a]', // negated classes match non-ASCII differently
      '(?i)abc',
      '(?P<x>a)',
      '(?<x>a)',
      '[[:alpha:]]',
      '\\pL',
      'é',
      'a**',
      '^*',
      '\\b+',
      'a{,2}',
      '(a',
      'a)',
      '[a-]x[',
      '[z-a]',
      '\\Qa\\E',
      '\\x41',
    ])
      expect([p, inNativeSubset(p)]).toEqual([p, false]);
  });

  it('runs natively only what recheck proves safe', () => {
    expect(nativeRegex('SKU-[0-9a-f]{6}')).toBeInstanceOf(RegExp);
    expect(nativeRegex('(a+)+b')).toBeUndefined(); // in the subset, but catastrophic
    expect(nativeRegex('a.b')).toBeUndefined(); // outside the subset
    expect(compileAuthorRegex('SKU-[0-9a-f]{6}').native).toBe(true);
    expect(compileAuthorRegex('^/aws/lambda/(?P<app>[a-z]+)$').native).toBe(false);
  });

  it('finds exactly the spans and test results RE2 finds, on ASCII and non-ASCII text', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('S', 'K', 'U', '-', 'a', 'b', 'c', 'x', 'y', 'k', '=', '/', '_', '.', ' ', '\n'),
        fc.constantFrom('i', 'd', 'h', 'e', 'l', 't', 'r', 'u', 'A', 'Z', '0', '1', '9', 'f'),
        fc.constantFrom('\u00a0', '\u2028', 'é', '😀', '\ud800', '\u212a'),
      ),
      maxLength: 30,
    });
    const cases = SUBSET.map((p) => ({ p, re: compileAuthorRegex(p), ref: RE2JS.compile(p) }));
    for (const { re } of cases) expect(re.native).toBe(true);
    fc.assert(
      fc.property(text, (s) => {
        for (const { p, re, ref } of cases) {
          expect([p, re.spans(s)]).toEqual([p, re2Spans(ref, s)]);
          expect([p, re.test(s)]).toEqual([p, ref.test(s)]);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
