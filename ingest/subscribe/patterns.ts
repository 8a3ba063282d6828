import { compileGlob, type Glob } from '../../core/glob.js';
import { SUBSCRIBE_ERROR_CODES, SubscribeError } from './errors.js';

/** Longest pattern accepted (the longest CloudWatch Logs log group name is 512 characters). */
export const MAX_PATTERN_LENGTH = 512;

/**
 * Characters a log group name may hold (CloudWatch Logs: `[.\-_/#A-Za-z0-9]+`) plus the glob
 * wildcards `*` (any run of characters, `/` included) and `?` (exactly one character).
 */
const PATTERN_CHARS = /^[A-Za-z0-9._\-/#*?]+$/;

/** A compiled log group glob (`core/glob.ts`). */
export type LogGroupGlob = Glob;

/**
 * Compiles a log group glob such as `/aws/lambda/orders-*` with the one glob compiler
 * (`core/glob.ts`: `*`, `?`, no regex, no ReDoS) after checking what a log group pattern may
 * hold. Throws {@link SubscribeError} `SUBSCRIBE_PATTERN_INVALID` for an empty, over-long
 * pattern or one with characters a log group name cannot hold.
 */
export function compileLogGroupGlob(pattern: string, path = 'pattern'): LogGroupGlob {
  const problem = validatePattern(pattern);
  if (problem !== undefined) {
    throw new SubscribeError(SUBSCRIBE_ERROR_CODES.patternInvalid, `${path}: ${problem}`, [
      { path, message: problem },
    ]);
  }
  return compileGlob(pattern);
}

/** Why `pattern` is not a valid glob, or `undefined` when it is. */
export function validatePattern(pattern: string): string | undefined {
  if (pattern.length === 0) return 'expected a non-empty glob, received an empty string';
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `expected at most ${MAX_PATTERN_LENGTH} characters, received ${pattern.length}`;
  }
  if (!PATTERN_CHARS.test(pattern)) {
    return 'expected only letters, digits, . _ - / # and the wildcards * ?';
  }
  return undefined;
}
