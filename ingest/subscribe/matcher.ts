import { compileLogGroupGlob, type LogGroupGlob } from './patterns.js';

/** Why the auto-subscriber does or does not subscribe a log group. */
export type SubscribeDecision =
  | { readonly subscribe: true; readonly pattern: string }
  | { readonly subscribe: false; readonly reason: 'not_included' | 'excluded'; readonly pattern?: string };

/** Include/exclude globs compiled once; `decide` is pure. */
export interface LogGroupMatcher {
  /** Exclusion wins over inclusion; a group matching no include pattern is not subscribed. */
  decide(logGroupName: string): SubscribeDecision;
  /**
   * The smallest set of literal prefixes that covers every include pattern (an empty string
   * means "list everything"), so existing groups can be listed with `logGroupNamePrefix`.
   */
  readonly listPrefixes: readonly string[];
}

/** Compiles include/exclude globs (see {@link compileLogGroupGlob}); throws on the first invalid pattern. */
export function compileLogGroupMatcher(o: {
  include: readonly string[];
  exclude?: readonly string[];
}): LogGroupMatcher {
  const include = o.include.map((p, i) => compileLogGroupGlob(p, `include[${i}]`));
  const exclude = (o.exclude ?? []).map((p, i) => compileLogGroupGlob(p, `exclude[${i}]`));
  return {
    decide(name) {
      const excluded = firstMatch(exclude, name);
      if (excluded) return { subscribe: false, reason: 'excluded', pattern: excluded.source };
      const included = firstMatch(include, name);
      if (included) return { subscribe: true, pattern: included.source };
      return { subscribe: false, reason: 'not_included' };
    },
    listPrefixes: coveringPrefixes(include.map((g) => g.prefix)),
  };
}

function firstMatch(globs: readonly LogGroupGlob[], name: string): LogGroupGlob | undefined {
  for (const g of globs) if (g.matches(name)) return g;
  return undefined;
}

/** Drops every prefix that another (shorter) prefix already covers. */
export function coveringPrefixes(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}
