import { nameEndsBefore } from './detectors/credential-assignment.js';
import { endsWithWord } from './detectors/detector.js';
import {
  F_A,
  F_ALL,
  F_ASSIGN,
  F_AT,
  F_AUTH,
  F_AUTHOR_FIRST,
  F_COLON,
  F_CRED,
  F_DASH,
  F_DIGITS4,
  F_DIGITS8,
  F_DIGITS13,
  F_DOT,
  F_EYJ,
  F_J,
  F_K,
  F_P,
} from './detectors/features.js';
import { DETECTOR_LIST, type DetectorId } from './detectors/index.js';

/**
 * The pre-scan: one pass over the characters of a string sets a bit for each feature it has, and
 * a finder (built-in detector or author pattern) runs only when the string has every feature in
 * its `needs` (for a detector, the `needs` of its record in `detectors/`; each is a necessary
 * condition of any match the detector reports; for an author pattern, the first character of the
 * literal its every match starts with). Most strings of an event (ids, words, names, routes) have
 * too few features for any finder, so they cost this one pass and no search. Long strings skip it
 * (one native search per finder is cheaper per character there): see {@link PRESCAN_MAX_LENGTH}.
 * It fails closed: a string with any non-ASCII character gets every bit (Unicode whitespace and
 * case folding are not classified here), so it goes to every finder.
 * `prescan.property.test.ts` checks that no string a detector matches is ever skipped, and that a
 * scanner with the pre-scan finds exactly the spans of one that runs every finder on every string.
 */

/** The features every match of each built-in detector needs in the scanned string. */
export const DETECTOR_NEEDS: Readonly<Record<DetectorId, number>> = Object.fromEntries(
  DETECTOR_LIST.map((d) => [d.id, d.needs]),
) as Record<DetectorId, number>;

/** Strings longer than this are not pre-scanned: every finder runs its own native pre-check. */
export const PRESCAN_MAX_LENGTH = 64;

/**
 * The features one character sets by being there (a bit set), or what it starts (a negative
 * code below), per ASCII code below 97; the lowercase letters and `{|}~` set nothing and take a
 * branch of their own.
 */
export type FeatureTable = Int32Array;

const DIGIT = -1;
const SPACE = -2;
/** `:` and `=`: F_ASSIGN (and F_COLON), and F_CRED when a credential name ends before it. */
const COLON = -3;
const EQUALS = -4;
/** `J`: F_J, and F_EYJ after `ey`. */
const CAPITAL_J = -5;

/** The built-in table; {@link featureTable} adds author prefix bits to a copy. */
const BASE: FeatureTable = new Int32Array(97);
for (let c = 48; c <= 57; c++) BASE[c] = DIGIT;
for (const c of [9, 10, 11, 12, 13, 32]) BASE[c] = SPACE;
BASE[58] = COLON;
BASE[61] = EQUALS;
BASE[74] = CAPITAL_J;
BASE[64] = F_AT;
BASE[46] = F_DOT;
BASE[65] = F_A;
BASE[75] = F_K;
BASE[80] = F_P;
BASE[45] = F_DASH;

/** The highest bit {@link featureTable} gives out to an author prefix. */
const AUTHOR_LAST = 1 << 30;

/**
 * The feature table of one rule set: the built-in features plus one bit per distinct first
 * character of the literal prefixes given (author patterns whose every match starts with that
 * prefix). Returns the table and, per prefix, the bit its string needs (0: none could be given —
 * a first character at or above `a` in ASCII order, non-ASCII, or more than 16 distinct ones).
 */
export function featureTable(prefixes: readonly string[]): { table: FeatureTable; needs: number[] } {
  const table = BASE.slice();
  const bitOf = new Map<number, number>();
  let next = F_AUTHOR_FIRST;
  const needs = prefixes.map((p) => {
    const c = p.charCodeAt(0);
    // NaN (empty prefix) too; and characters with a stateful code (digits, spaces, `:`, `=`, `J`).
    if (!(c < 97) || BASE[c]! < 0) return 0;
    let bit = bitOf.get(c);
    if (bit === undefined) {
      if (next > AUTHOR_LAST) return 0;
      bit = next;
      next *= 2;
      bitOf.set(c, bit);
      table[c] = (table[c] ?? 0) | bit;
    }
    return bit;
  });
  return { table, needs };
}

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

/**
 * The feature bits of `s` (the `F_` constants, and the author bits of `table`); {@link F_ALL}
 * when it has non-ASCII text.
 */
export function textFeatures(s: string, table: FeatureTable = BASE): number {
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
    const k = table[c]!;
    if (k > 0) mask |= k;
    else if (k === DIGIT) digits++;
    else if (k === SPACE) {
      if ((mask & F_AUTH) === 0 && i >= 5 && authWordBefore(s, i)) mask |= F_AUTH;
    } else if (k === COLON || k === EQUALS) {
      mask |= k === COLON ? F_ASSIGN | F_COLON : F_ASSIGN;
      if ((mask & F_CRED) === 0 && nameEndsBefore(s, i)) mask |= F_CRED;
    } else if (k === CAPITAL_J) {
      mask |= F_J;
      if (i >= 2 && s.charCodeAt(i - 1) === 121 && s.charCodeAt(i - 2) === 101) mask |= F_EYJ;
    }
  }
  if (digits >= 13) mask |= F_DIGITS4 | F_DIGITS8 | F_DIGITS13;
  else if (digits >= 8) mask |= F_DIGITS4 | F_DIGITS8;
  else if (digits >= 4) mask |= F_DIGITS4;
  return mask;
}
