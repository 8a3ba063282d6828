/**
 * The features of the pre-scan (`../prescan.ts`), one pass over each string before any detector:
 * each detector's `needs` is a set of these bits, every one a necessary condition of any match it
 * reports. Bits from {@link F_AUTHOR_FIRST} up are given out per rule set to the first characters
 * of author patterns' literal prefixes.
 */

/** An `@`. */
export const F_AT = 1 << 0;
/** A `J` (every JWT starts with `eyJ`). */
export const F_J = 1 << 1;
/** A `.`. */
export const F_DOT = 1 << 2;
/** An uppercase `A` (every AWS access key id prefix starts with it). */
export const F_A = 1 << 3;
/** A `:` or a `=`. */
export const F_ASSIGN = 1 << 4;
/** A `:`. */
export const F_COLON = 1 << 5;
/** An uppercase `K` (PEM `PRIVATE KEY-----`). */
export const F_K = 1 << 6;
/** A `-`. */
export const F_DASH = 1 << 7;
/** `bearer`, `basic`, `token` or `digest` (any case) right before an ASCII whitespace character. */
export const F_AUTH = 1 << 8;
/** At least 4 ASCII digits. */
export const F_DIGITS4 = 1 << 9;
/** At least 8 ASCII digits. */
export const F_DIGITS8 = 1 << 10;
/** At least 13 ASCII digits. */
export const F_DIGITS13 = 1 << 11;
/** `eyJ` (every JWT starts with it). */
export const F_EYJ = 1 << 12;
/** An uppercase `P` (PEM `PRIVATE KEY-----`). */
export const F_P = 1 << 13;
/**
 * A `:` or `=` with a credential name ending (`word`, `wd`, `secret`, `key`, `token`, any case)
 * before it, with at most 5 whitespace characters and an optional quote in between.
 */
export const F_CRED = 1 << 14;
/** The first of the bits given out to author patterns' literal prefixes (up to bit 30). */
export const F_AUTHOR_FIRST = 1 << 15;
/** Every feature, author bits included: what a string the pass does not classify gets. */
export const F_ALL = 0x7fffffff;
