/**
 * The one glob compiler (log group include/exclude patterns, secret key names): `*` matches any
 * run of characters (`/` included), `?` exactly one (unless `question: false`, where it is a
 * literal). No regular expression is built from the pattern: matching is a two-pointer wildcard
 * walk bounded by name length × pattern length, so no pattern can cause catastrophic
 * backtracking (ReDoS). Validation of what a pattern may contain is the caller's.
 */
export interface Glob {
  /** The pattern as written. */
  readonly source: string;
  /** The literal text before the first wildcard (e.g. to narrow a listing by prefix). */
  readonly prefix: string;
  /** Whether `name` matches the whole pattern. */
  matches(name: string): boolean;
}

/** Options of {@link compileGlob}. */
export interface GlobOptions {
  /** `?` matches one character (default `true`); `false` makes it a literal. */
  readonly question?: boolean;
}

/** Compiles `pattern` once; see {@link Glob}. */
export function compileGlob(pattern: string, opts: GlobOptions = {}): Glob {
  const question = opts.question ?? true;
  const collapsed = pattern.replace(/\*+/g, '*');
  const firstWildcard = question ? collapsed.search(/[*?]/) : collapsed.indexOf('*');
  const prefix = firstWildcard === -1 ? collapsed : collapsed.slice(0, firstWildcard);
  if (firstWildcard === -1) return { source: pattern, prefix, matches: (name) => name === collapsed };
  if (firstWildcard === collapsed.length - 1 && collapsed.endsWith('*')) {
    return { source: pattern, prefix, matches: (name) => name.startsWith(prefix) };
  }
  return { source: pattern, prefix, matches: (name) => wildcardMatch(collapsed, name, question) };
}

/**
 * Iterative glob match: on a mismatch it resumes after the most recent `*`, which is enough
 * for `*`/`?` globs (no nested groups), so the work is bounded by name length × pattern length.
 */
function wildcardMatch(pattern: string, name: string, question: boolean): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern[p];
    if ((question && pc === '?') || (pc !== undefined && pc !== '*' && pc === name[n])) {
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
