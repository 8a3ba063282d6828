import { pushTo } from '../../push.js';

/** Spans as a flat list `[start0, end0, start1, end1, …]`, ascending, non-overlapping. */
export type Spans = number[];

/** Finds the spans one detector matches in `s`; undefined when there are none. */
export type SpanFinder = (s: string) => Spans | undefined;

/** A cheap pre-check with the regex it guards: it must never reject text the regex matches. */
export interface Prechecked {
  readonly precheck: (s: string) => boolean;
  readonly regex: RegExp;
}

/**
 * Everything about one built-in value detector, in one record (one file per detector under
 * `filters/redact/detectors/`, listed in `index.ts`). The lookup tables of `detectors.ts` and
 * `prescan.ts`, the default pack, the generated reference and the tests are derived from it.
 */
export interface Detector<Id extends string = string> {
  /** The name rules use in `redact.detectors`. */
  readonly id: Id;
  /** What it finds (the generated reference's table; `docs/filters.md`). */
  readonly description: string;
  /** The span finder: a cheap pre-check first, then a linear regex or scan. */
  readonly find: SpanFinder;
  /** The shortest text it can match: shorter strings skip it without a call. */
  readonly minLength: number;
  /** The pre-scan features (`F_` of `features.ts`) every match needs in the scanned string. */
  readonly needs: number;
  /** Every regex it uses (the ReDoS test checks each with recheck). */
  readonly regexes: readonly RegExp[];
  /** Its pre-checks with the regexes they guard (`prechecks.property.test.ts`). */
  readonly prechecked?: readonly Prechecked[];
  /** On in the default rule pack (`default/<id with dashes>`, masked as `[REDACTED:<id>]`). */
  readonly defaultPack: boolean;
  /** Test samples (`detectors.test.ts` checks each). */
  readonly samples: {
    /** Input and the expected text with each span replaced by `#`. */
    readonly redacts: readonly (readonly [input: string, expected: string])[];
    /** Inputs it finds nothing in. */
    readonly ignores: readonly string[];
    /** Its smallest match: `minLength` must not be above its length. */
    readonly smallest: string;
  };
}

/** Declares a detector, keeping its id as a literal type. */
export function defineDetector<Id extends string>(d: Detector<Id>): Detector<Id> {
  return d;
}

/** The spans of every match of `re` (global) in `s`; of group `suffixGroup` (a suffix of the match) when given. */
export function regexSpans(re: RegExp, s: string, suffixGroup?: number): Spans | undefined {
  re.lastIndex = 0;
  let out: Spans | undefined;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const end = m.index + m[0].length;
    const part = suffixGroup === undefined ? m[0] : (m[suffixGroup] ?? '');
    if (part.length > 0) out = pushTo(out, end - part.length, end);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** True when `s` has `word` (lowercase ASCII) ending right before `end`, compared case-insensitively. */
export function endsWithWord(s: string, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  for (let i = 0; i < word.length; i++)
    if ((s.charCodeAt(start + i) | 32) !== word.charCodeAt(i)) return false;
  return true;
}

/** Cheap pre-check of the assignment detectors: they need a `=` or a `:`. */
export function hasAssignment(s: string): boolean {
  return s.indexOf('=') >= 0 || s.indexOf(':') >= 0;
}
