import { endsWithWord } from './detectors/detector.js';
import {
  F_A,
  F_ALL,
  F_ASSIGN,
  F_AT,
  F_AUTH,
  F_COLON,
  F_DASH,
  F_DIGITS4,
  F_DIGITS8,
  F_DIGITS13,
  F_DOT,
  F_J,
  F_K,
} from './detectors/features.js';
import { DETECTOR_LIST, type DetectorId } from './detectors/index.js';

/**
 * The pre-scan of short strings: one pass over the characters sets a bit for each feature the
 * string has, and a built-in detector runs only when the string has every feature in its
 * {@link DETECTOR_NEEDS} (the `needs` of its record in `detectors/`; each is a necessary condition
 * of any match the detector reports). Most attribute values (ids, words, names) have none of them, and one short JavaScript loop is
 * cheaper than the ten or so native pre-checks it replaces. Long strings skip the pre-scan (the
 * native searches of the detectors are faster per character there): see {@link PRESCAN_MAX_LENGTH}.
 * It fails closed: a string with any non-ASCII character gets every bit (Unicode whitespace and
 * case folding are not classified here), so it goes to every detector.
 * `prescan.property.test.ts` checks that no string a detector matches is ever skipped.
 */

/** Strings longer than this are not pre-scanned (every detector runs its own pre-check). */
export const PRESCAN_MAX_LENGTH = 64;
/** Nor are strings so short that fewer detectors than this apply to them. */
export const PRESCAN_MIN_FINDERS = 3;

/** The features every match of each built-in detector needs in the scanned string. */
export const DETECTOR_NEEDS: Readonly<Record<DetectorId, number>> = Object.fromEntries(
  DETECTOR_LIST.map((d) => [d.id, d.needs]),
) as Record<DetectorId, number>;

const DIGIT = -1;
const SPACE = -2;
/** Per ASCII code: a feature bit, DIGIT, SPACE (JavaScript `\s` within ASCII) or 0. */
const CLASS = new Int16Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (const c of [9, 10, 11, 12, 13, 32]) CLASS[c] = SPACE;
CLASS[64] = F_AT;
CLASS[74] = F_J;
CLASS[46] = F_DOT;
CLASS[65] = F_A;
CLASS[61] = F_ASSIGN;
CLASS[58] = F_ASSIGN | F_COLON;
CLASS[75] = F_K;
CLASS[45] = F_DASH;

/** True when an auth scheme word ends right before `end` (their last letters are r, c, n, t). */
function authWordBefore(s: string, end: number): boolean {
  switch (s.charCodeAt(end - 1) | 32) {
    case 114: // r
      return endsWithWord(s, end, 'bearer');
    case 99: // c
      return endsWithWord(s, end, 'basic');
    case 110: // n
      return endsWithWord(s, end, 'token');
    case 116: // t
      return endsWithWord(s, end, 'digest');
    default:
      return false;
  }
}

/** The feature bits of `s` (the `F_` constants); {@link F_ALL} when it has non-ASCII text. */
export function textFeatures(s: string): number {
  let mask = 0;
  let digits = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // Lowercase letters (most of the text) and `{|}~` carry no feature: no table lookup.
    if (c >= 97) {
      if (c >= 128) return F_ALL;
      continue;
    }
    const k = CLASS[c]!;
    if (k === 0) continue;
    if (k === DIGIT) digits++;
    else if (k === SPACE) {
      if ((mask & F_AUTH) === 0 && i >= 5 && authWordBefore(s, i)) mask |= F_AUTH;
    } else mask |= k;
  }
  if (digits >= 13) mask |= F_DIGITS4 | F_DIGITS8 | F_DIGITS13;
  else if (digits >= 8) mask |= F_DIGITS4 | F_DIGITS8;
  else if (digits >= 4) mask |= F_DIGITS4;
  return mask;
}
