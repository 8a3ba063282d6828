import { SUBSCRIBE_ERROR_CODES, SubscribeError } from './errors.js';

/** Longest pattern accepted (the longest CloudWatch Logs log group name is 512 characters). */
export const MAX_PATTERN_LENGTH = 512;

/**
 * Characters a log group name may hold (CloudWatch Logs: `[.\-_/#A-Za-z0-9]+`) plus the glob
 * wildcards `*` (any run of characters, `/` included) and `?` (exactly one character).
 */
const PATTERN_CHARS = /^[A-Za-z0-9._\-/#*?]+$/;

/** A compiled log group glob: matching runs in O(name × pattern) steps, never backtracks exponentially. */
export interface LogGroupGlob {
  /** The pattern as written. */
  readonly source: string;
  /** The literal text before the first wildcard (used to narrow `DescribeLogGroups`). */
  readonly prefix: string;
  /** Whether `name` matches the whole pattern. */
  matches(name: string): boolean;
}

/**
 * Compiles a log group glob such as `/aws/lambda/orders-*`. No regular expression is built from
 * the pattern: matching is a two-pointer wildcard walk, so no pattern can cause catastrophic
 * backtracking (ReDoS). Throws {@link SubscribeError} `SUBSCRIBE_PATTERN_INVALID` for an empty,
 * over-long pattern or one with characters a log group name cannot hold.
 */
export function compileGlob(pattern: string, path = 'pattern'): LogGroupGlob {
  const problem = validatePattern(pattern);
  if (problem !== undefined) {
    throw new SubscribeError(SUBSCRIBE_ERROR_CODES.patternInvalid, `${path}: ${problem}`, [
      { path, message: problem },
    ]);
  }
  const collapsed = pattern.replace(/\*+/g, '*');
  const firstWildcard = collapsed.search(/[*?]/);
  const prefix = firstWildcard === -1 ? collapsed : collapsed.slice(0, firstWildcard);
  if (firstWildcard === -1) return { source: pattern, prefix, matches: (name) => name === collapsed };
  if (firstWildcard === collapsed.length - 1 && collapsed.endsWith('*')) {
    return { source: pattern, prefix, matches: (name) => name.startsWith(prefix) };
  }
  return { source: pattern, prefix, matches: (name) => wildcardMatch(collapsed, name) };
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

/**
 * Iterative glob match: on a mismatch it resumes after the most recent `*`, which is enough
 * for `*`/`?` globs (no nested groups), so the work is bounded by name length × pattern length.
 */
function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern[p];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === name[n])) {
      p++;
      n++;
    } else if (pc === '*') {
      starP = p++;
      starN = n;
    } else if (starP !== -1) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
