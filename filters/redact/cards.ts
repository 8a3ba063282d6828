import { pushTo } from '../push.js';
import type { SpanFinder, Spans } from './detectors/detector.js';

// Payment card numbers: the Luhn check and the span finder of the `payment_card` detector.

/**
 * True when the digits of groups `g`…`h` pass the Luhn check; group k is `s[bounds[2k], bounds[2k+1])`
 * (digits only), so a number split by spaces or dashes is checked where it stands, no string built.
 */
function luhnOfGroups(s: string, bounds: Int32Array, g: number, h: number): boolean {
  let sum = 0;
  let double = false;
  for (let k = h; k >= g; k--)
    for (let i = bounds[2 * k + 1]! - 1; i >= bounds[2 * k]!; i--) {
      let d = s.charCodeAt(i) - 48;
      if (double) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      double = !double;
    }
  return sum % 10 === 0;
}

const wholeString = new Int32Array(2);

/** True when the digit string passes the Luhn check. */
export function luhn(digits: string): boolean {
  wholeString[1] = digits.length;
  return luhnOfGroups(digits, wholeString, 0, 0);
}

/** True for 13–19 digits, first digit 2–6 (the major networks), passing Luhn. */
export function isCardNumber(digits: string): boolean {
  const first = digits.charCodeAt(0);
  return digits.length >= 13 && digits.length <= 19 && first >= 50 && first <= 54 && luhn(digits);
}

/**
 * A maximal run of digits with single spaces or dashes between them, holding at least 13 digits
 * (fewer cannot hold a card). It doubles as the pre-check: a string without one costs one native
 * scan, and runs too short for a card (`1.2.3`, `a1:`) never reach the JavaScript below.
 */
export const CARD_RUN = /\d(?:[ -]?\d){12,}/g;

/** Scratch bounds of the digit groups of one run: start, end, start, end, … (grown on demand). */
let groupBounds = new Int32Array(64);

/**
 * True when the digits of groups `g`…`h` (bounds in {@link groupBounds}), `count` digits in all,
 * form a card number: the test of {@link isCardNumber}, read straight from `s` (no string built).
 */
function isCardWindow(s: string, g: number, h: number, count: number): boolean {
  const first = s.charCodeAt(groupBounds[2 * g]!);
  return count >= 13 && count <= 19 && first >= 50 && first <= 54 && luhnOfGroups(s, groupBounds, g, h);
}

export const cardSpans: SpanFinder = (s) => {
  let out: Spans | undefined;
  CARD_RUN.lastIndex = 0;
  for (let m = CARD_RUN.exec(s); m !== null; m = CARD_RUN.exec(s)) {
    // Groups of digits inside the run (it starts and ends with a digit; one separator between groups).
    const end = m.index + m[0].length;
    if (groupBounds.length < m[0].length + 2) groupBounds = new Int32Array(m[0].length + 2);
    let groups = 0;
    let i = m.index;
    while (i < end) {
      let j = i;
      while (j < end && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      groupBounds[2 * groups] = i;
      groupBounds[2 * groups + 1] = j;
      groups++;
      i = j + 1;
    }
    // Every window of whole groups holding 13–19 digits; the first valid one from each start wins.
    let g = 0;
    while (g < groups) {
      let count = 0;
      let found = -1;
      for (let h = g; h < groups; h++) {
        count += groupBounds[2 * h + 1]! - groupBounds[2 * h]!;
        if (count > 19) break;
        if (isCardWindow(s, g, h, count)) found = h;
      }
      if (found >= 0) {
        out = pushTo(out, groupBounds[2 * g]!, groupBounds[2 * found + 1]!);
        g = found + 1;
      } else g++;
    }
  }
  return out;
};
