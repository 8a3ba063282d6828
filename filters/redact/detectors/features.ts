/**
 * The features of the short-string pre-scan (`../prescan.ts`): each detector's `needs` is a set of
 * these bits, every one a necessary condition of any match it reports.
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
/** Every feature: what a string the pass does not classify gets. */
export const F_ALL = (1 << 12) - 1;
