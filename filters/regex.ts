import { RE2JS } from 're2js';
import { checkSync } from 'recheck';
import { pushTo } from './push.js';

/**
 * Regexes written by filter authors. They run on `re2js` (RE2: linear time in the input, no
 * backtracking, so no ReDoS at run time) and are additionally checked with `recheck` when the
 * rules file is parsed: a pattern that would be catastrophic on a backtracking engine is
 * rejected with a clear message, so rules stay safe wherever else they are reused.
 */
export interface AuthorRegex {
  /** The source as the author wrote it. */
  readonly source: string;
  /** The literal every match starts with ('' when the pattern has none, e.g. anchored or `(?i)`). */
  readonly literalPrefix: string;
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

/** Splits a leading `(?i)` (the only inline flag recheck and JS share) off a pattern. */
function jsFlags(source: string): { body: string; flags: string } {
  return source.startsWith('(?i)') ? { body: source.slice(4), flags: 'i' } : { body: source, flags: '' };
}

/**
 * Returns why `source` is not an acceptable author regex, or undefined when it is: RE2 syntax
 * errors (backreferences and lookaround are not supported), and patterns `recheck` proves
 * vulnerable to catastrophic backtracking.
 */
export function regexProblem(source: string): string | undefined {
  if (safetyCache.has(source)) return safetyCache.get(source);
  let problem: string | undefined;
  try {
    RE2JS.compile(source);
  } catch (err) {
    problem = `not a valid RE2 regular expression (${(err as Error).message}); backreferences and lookaround are not supported`;
  }
  if (!problem) {
    const { body, flags } = jsFlags(source);
    try {
      const diagnostics = checkSync(body, flags, { timeout: 10_000 });
      if (diagnostics.status === 'vulnerable') {
        const complexity = diagnostics.complexity?.summary ?? 'super-linear';
        problem = `a catastrophic (ReDoS) pattern: ${complexity} backtracking; rewrite it without nested or overlapping quantifiers (e.g. (a+)+ → a+)`;
      }
    } catch {
      // recheck cannot parse some RE2-only syntax; RE2 itself runs in linear time, so accept.
    }
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

/** Compiles an author regex (validate it with {@link regexProblem} first). */
export function compileAuthorRegex(source: string): AuthorRegex {
  const re = RE2JS.compile(source);
  const groupNames = Object.keys(re.namedGroups());
  // Every match starts with `prefix`: a native `indexOf` rules most strings out before RE2 runs.
  const prefix = literalPrefix(re);
  const test = prefix ? (s: string) => s.indexOf(prefix) >= 0 && re.test(s) : (s: string) => re.test(s);
  // One matcher, reset per call (calls are synchronous and never re-entered): no allocation per string.
  let shared: ReturnType<RE2JS['matcher']> | undefined;
  const matcher = (s: string) => {
    if (shared) shared.resetMatcherInput(s);
    else shared = re.matcher(s);
    return shared;
  };
  return {
    source,
    literalPrefix: prefix,
    groupNames,
    test,
    captures(s) {
      if (!test(s)) return undefined;
      const m = matcher(s);
      if (!m.find()) return undefined;
      const out: Record<string, string> = Object.create(null);
      for (const name of groupNames) out[name] = m.group(name) ?? '';
      return out;
    },
    spans(s) {
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
    },
  };
}
