import { RE2JS } from 're2js';
import { checkSync } from 'recheck';
import { inNativeSubset } from './native-regex.js';
import { pushTo } from './push.js';

/**
 * Regexes written by filter authors. They run on `re2js` (RE2: linear time in the input, no
 * backtracking, so no ReDoS at run time) and are additionally checked with `recheck` when the
 * rules file is parsed: a pattern that would be catastrophic on a backtracking engine is
 * rejected with a clear message, so rules stay safe wherever else they are reused. A pattern
 * in the small syntax subset where RE2 and JavaScript agree, and which recheck proves safe,
 * matches on the native engine instead (same results, many times faster on short strings).
 */
export interface AuthorRegex {
  /** The source as the author wrote it. */
  readonly source: string;
  /** The literal every match starts with ('' when the pattern has none, e.g. anchored or `(?i)`). */
  readonly literalPrefix: string;
  /** True when `test` and `spans` run on the native engine (see {@link nativeRegex}). */
  readonly native: boolean;
  /** Names of the named capture groups. */
  readonly groupNames: readonly string[];
  /** True when the pattern matches anywhere in `s`. */
  test(s: string): boolean;
  /** The named captures of the first match, or undefined when it does not match. */
  captures(s: string): Readonly<Record<string, string>> | undefined;
  /** The non-empty matches as flat `[start, end, …]` spans, or undefined when there are none. */
  spans(s: string): number[] | undefined;
}

const safetyCache = new Map<string, string | undefined>();
/** recheck's verdict: 'safe', 'vulnerable' (with the complexity), 'unknown', or 'error' when it could not parse it. */
interface Recheck {
  readonly status: string;
  readonly complexity?: string;
}
const recheckCache = new Map<string, Recheck>();

/** recheck's verdict on `source` (cached: the check runs once per pattern and process). */
function recheck(source: string): Recheck {
  let verdict = recheckCache.get(source);
  if (verdict === undefined) {
    const js = toJsSyntax(source);
    if (js === undefined) verdict = { status: 'error' };
    else {
      try {
        const d = checkSync(js.body, js.flags, { timeout: 10_000 });
        verdict =
          d.status === 'vulnerable'
            ? { status: d.status, complexity: d.complexity.summary }
            : { status: d.status };
      } catch {
        verdict = { status: 'error' };
      }
    }
    recheckCache.set(source, verdict);
  }
  return verdict;
}

/**
 * The pattern in JavaScript syntax, for recheck: leading inline flags `(?i)`, `(?s)`, `(?m)`
 * (and combinations) become flags, `(?P<name>` becomes `(?<name>`, `\A` becomes `^`. Undefined
 * when it holds RE2 syntax with no JavaScript reading (e.g. `(?U)`, flags inside the pattern,
 * POSIX classes) — such a pattern cannot be analysed.
 */
export function toJsSyntax(source: string): { body: string; flags: string } | undefined {
  let body = source;
  let flags = '';
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (lead) {
    for (const f of lead[1] as string) {
      if (f !== 'i' && f !== 's' && f !== 'm') return undefined;
      if (!flags.includes(f)) flags += f;
    }
    body = body.slice(lead[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<').replace(/^\\A/, '^');
  if (/\(\?[a-zA-Z-]+[:)]/.test(body) || body.includes('[[:') || /\\[zCpP]/.test(body)) return undefined;
  return { body, flags };
}

/**
 * Returns why `source` is not an acceptable author regex, or undefined when it is: RE2 syntax
 * errors (backreferences and lookaround are not supported), patterns `recheck` proves vulnerable
 * to catastrophic backtracking, and patterns it cannot prove safe (its verdict `unknown`, or
 * syntax it cannot read even after translation to JavaScript): unknown fails closed.
 */
export function regexProblem(source: string): string | undefined {
  if (safetyCache.has(source)) return safetyCache.get(source);
  let problem: string | undefined;
  try {
    RE2JS.compile(source);
  } catch (err) {
    problem = `not a valid RE2 regular expression (${(err as Error).message}); backreferences and lookaround are not supported`;
  }
  const verdict = problem ? undefined : recheck(source);
  if (verdict?.status === 'vulnerable') {
    const complexity = verdict.complexity ?? 'super-linear';
    problem = `a catastrophic (ReDoS) pattern: ${complexity} backtracking; rewrite it without nested or overlapping quantifiers (e.g. (a+)+ → a+)`;
  } else if (verdict && verdict.status !== 'safe') {
    problem =
      verdict.status === 'error'
        ? 'a pattern the ReDoS check cannot read (RE2-only syntax such as (?U), inline flags after the start, \\z, \\pN or [[:alpha:]]): write it with leading (?i)/(?s)/(?m) flags, (?P<name>…) or (?<name>…) groups and plain character classes so it can be proven safe'
        : 'a pattern the ReDoS check could not prove safe in time: simplify it (fewer nested or alternated quantifiers)';
  }
  safetyCache.set(source, problem);
  return problem;
}

/**
 * The literal every match starts with, as RE2 computed it when compiling (empty when there is none,
 * e.g. for anchored or case-insensitive patterns). Read defensively: it is re2js's compiled form.
 */
function literalPrefix(re: RE2JS): string {
  const prefix = (re as unknown as { re2Input?: { prefix?: unknown } }).re2Input?.prefix;
  return typeof prefix === 'string' ? prefix : '';
}

/**
 * The pattern as a native JS RegExp (flag `g`), when it lies in the subset where both engines
 * agree ({@link inNativeSubset}) and recheck proved it safe (linear); otherwise undefined and
 * the pattern runs on RE2.
 */
export function nativeRegex(source: string): RegExp | undefined {
  if (!inNativeSubset(source) || recheck(source).status !== 'safe') return undefined;
  try {
    return new RegExp(source, 'g');
  } catch {
    return undefined;
  }
}

/** Non-empty matches of a native global regex as flat spans (the RE2 path's contract). */
function nativeSpans(re: RegExp, s: string): number[] | undefined {
  let out: number[] | undefined;
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const end = m.index + m[0].length;
    if (end > m.index) out = pushTo(out, m.index, end);
    else re.lastIndex++;
  }
  return out;
}

/**
 * Non-empty matches of a native sticky regex whose every match starts with `prefix` (non-empty):
 * the same spans as {@link nativeSpans}, found by trying the regex only where `indexOf` finds the
 * prefix, in order. `test` leaves `lastIndex` at the match's end, so no match array is made.
 */
function prefixedSpans(re: RegExp, prefix: string, s: string): number[] | undefined {
  let out: number[] | undefined;
  for (let at = s.indexOf(prefix); at >= 0; ) {
    re.lastIndex = at;
    if (re.test(s)) {
      out = pushTo(out, at, re.lastIndex);
      at = s.indexOf(prefix, re.lastIndex);
    } else at = s.indexOf(prefix, at + 1);
  }
  return out;
}

/**
 * Compiles an author regex (validate it with {@link regexProblem} first). Matching (`test`,
 * `spans`) runs natively when {@link nativeRegex} allows it, else on RE2; captures always use RE2.
 */
export function compileAuthorRegex(source: string): AuthorRegex {
  const re = RE2JS.compile(source);
  const groupNames = Object.keys(re.namedGroups());
  // Every match starts with `prefix`: a native `indexOf` rules most strings out before matching.
  const prefix = literalPrefix(re);
  const native = nativeRegex(source);
  // With a prefix, matches are searched only where it occurs (see prefixedSpans).
  const sticky = native && prefix ? new RegExp(native.source, 'y') : undefined;
  const matches = native
    ? (s: string) => {
        native.lastIndex = 0;
        return native.test(s);
      }
    : (s: string) => re.test(s);
  const test = prefix ? (s: string) => s.indexOf(prefix) >= 0 && matches(s) : matches;
  // One matcher, reset per call (calls are synchronous and never re-entered): no allocation per string.
  let shared: ReturnType<RE2JS['matcher']> | undefined;
  const matcher = (s: string) => {
    if (shared) shared.resetMatcherInput(s);
    else shared = re.matcher(s);
    return shared;
  };
  const re2Spans = (s: string): number[] | undefined => {
    // With a literal prefix, `indexOf` is the cheap filter and strings that pass it mostly match,
    // so the matcher runs directly; without one, `test` (RE2's DFA, no matcher) filters first.
    if (prefix ? s.indexOf(prefix) < 0 : !re.test(s)) return undefined;
    const m = matcher(s);
    let out: number[] | undefined;
    while (m.find()) {
      const start = m.start();
      const end = m.end();
      if (end > start) out = pushTo(out, start, end);
      else if (end >= s.length) break;
      // A later match starts at or after `end` with the prefix: without one there, stop here.
      if (prefix && s.indexOf(prefix, end) < 0) break;
    }
    return out;
  };
  return {
    source,
    literalPrefix: prefix,
    groupNames,
    native: native !== undefined,
    test,
    captures(s) {
      if (!test(s)) return undefined;
      const m = matcher(s);
      if (!m.find()) return undefined;
      const out: Record<string, string> = Object.create(null);
      for (const name of groupNames) out[name] = m.group(name) ?? '';
      return out;
    },
    spans: !native
      ? re2Spans
      : prefix
        ? (s) => prefixedSpans(sticky!, prefix, s)
        : (s) => nativeSpans(native, s),
  };
}
