import { compileGlob as compileCoreGlob } from '../../core/glob.js';

/**
 * The secret key names of the default pack, shared with the component logger (`sluice/logger`
 * redacts the same keys at source). A small module whose only dependency is `core/glob.ts`, so
 * both can import it and neither imports the other's code.
 */

/**
 * Key-name globs whose values are secrets wherever they appear in an event. Compared after
 * {@link normaliseKey} (lowercase, without `_ - .` and spaces); `*` matches any run of characters.
 */
export const SECRET_KEY_PATTERNS: readonly string[] = [
  '*password*',
  '*passwd*',
  'pwd',
  '*secret*',
  '*token',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  '*apikey',
  '*privatekey',
  '*credentials',
];

/** What the default pack (and the logger at source) writes in place of a secret key's value. */
export const SECRET_KEY_MASK = '[REDACTED:secret]';

/** Key names compare lowercase, without `_`, `-`, `.` and spaces. */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_. ]/g, '');
}

/**
 * Compiles a `*` glob (already normalised) into a matcher with the one glob compiler
 * (`core/glob.ts`); `?` in a key name is a literal here.
 */
export function compileGlob(pattern: string): (s: string) => boolean {
  return compileCoreGlob(pattern, { question: false }).matches;
}
