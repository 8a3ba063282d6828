import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectorText } from '../../test/factories/detector-text.js';
import { isCardNumber } from './cards.js';
import { DETECTORS, PRECHECKED } from './detectors.js';

/** The payment card finder as it was before its run regex doubled as the pre-check (the oracle). */
function referenceCardSpans(s: string): number[] | undefined {
  let out: number[] | undefined;
  for (const m of s.matchAll(/\d+(?:[ -]\d+)*/g)) {
    const groups: { start: number; end: number }[] = [];
    let i = 0;
    while (i < m[0].length) {
      let j = i;
      while (j < m[0].length && m[0].charCodeAt(j) >= 48 && m[0].charCodeAt(j) <= 57) j++;
      groups.push({ start: m.index + i, end: m.index + j });
      i = j + 1;
    }
    let g = 0;
    while (g < groups.length) {
      let digits = '';
      let found = -1;
      for (let h = g; h < groups.length; h++) {
        digits += s.slice(groups[h]!.start, groups[h]!.end);
        if (digits.length > 19) break;
        if (isCardNumber(digits)) found = h;
      }
      if (found >= 0) {
        out = [...(out ?? []), groups[g]!.start, groups[found]!.end];
        g = found + 1;
      } else g++;
    }
  }
  return out;
}

const text = detectorText(40);

describe('detector pre-checks (fail closed)', () => {
  it('never reject text the regex they guard matches', () => {
    fc.assert(
      fc.property(text, (s) => {
        for (const { precheck, regex } of PRECHECKED) {
          regex.lastIndex = 0;
          if (regex.test(s)) expect([regex.source, precheck(s)]).toEqual([regex.source, true]);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('the payment card finder finds exactly what the run-by-run reference finds', () => {
    const digits = fc
      .array(
        fc.oneof(
          fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'),
          fc.constantFrom(' ', '-', 'x', '.', '  '),
        ),
        {
          maxLength: 60,
        },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(digits, text), (s) => {
        expect(DETECTORS.payment_card(s)).toEqual(referenceCardSpans(s));
      }),
      { numRuns: 5000 },
    );
  });
});
