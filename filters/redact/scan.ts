import type { CompiledRedactRule } from './compile.js';
import type { SpanFinder, Spans } from './detectors/detector.js';
import { F_ALL } from './detectors/features.js';
import { featureTable, PRESCAN_MAX_LENGTH, textFeatures } from './prescan.js';

/**
 * The redactor's text scanner: every string finder (detectors and patterns) of every rule, run
 * on one string. `active[rule]` (1 / 0) is the redactor's per-event switch for rules with a
 * `when`; `fired[rule]` is set to 1 when a rule's replacement is written.
 */
export interface TextScanner {
  /** How many finders there are (0: no string needs scanning). */
  readonly finderCount: number;
  /**
   * `s` with every match replaced, all on the original text: where matches overlap the earlier
   * rule wins; each is replaced once. The input itself when nothing matched.
   */
  scanString(s: string): string;
}

/** Options of {@link compileTextScanner}. */
export interface TextScannerOptions {
  /**
   * False: every finder runs on every string long enough for it (no pre-scan). The same spans by
   * construction of the pre-scan; the tests compare the two on generated corpora.
   */
  readonly prescan?: boolean;
}

/**
 * Compiles the finders of `rules` (priority = rule order) into a {@link TextScanner}: one
 * pre-scan table for the rule set (the built-in features plus a bit per author literal prefix),
 * then per string one pass that rules out every finder whose needed features are missing.
 */
export function compileTextScanner(
  rules: readonly CompiledRedactRule[],
  active: Uint8Array,
  fired: Uint8Array,
  opts: TextScannerOptions = {},
): TextScanner {
  // Every string finder of every rule, in rule order, as parallel arrays (no per-string allocation).
  const finds: SpanFinder[] = [];
  const minLengths: number[] = [];
  const prefixes: string[] = [];
  const builtInNeeds: number[] = [];
  const finderRule: number[] = [];
  rules.forEach((r, i) => {
    for (const f of r.finders) {
      finds.push(f.find);
      minLengths.push(f.minLength);
      builtInNeeds.push(f.needs);
      prefixes.push(f.prefix);
      finderRule.push(i);
    }
  });
  const { table, needs: prefixNeeds } = featureTable(prefixes);
  const prescan = opts.prescan ?? true;
  const needs = prescan ? builtInNeeds.map((n, f) => n | prefixNeeds[f]!) : builtInNeeds.map(() => 0);
  const finderCount = finds.length;
  const shortest = Math.min(...minLengths);
  // When every finder needs a feature, a string with none of the needed ones needs no finder at all.
  const allGated = needs.every((n) => n !== 0);
  const anyNeeded = needs.reduce((a, n) => a | n, 0);

  /** True when [start, end) overlaps a span already in `hits` (flat triples start, end, rule). */
  const overlaps = (hits: readonly number[], start: number, end: number): boolean => {
    for (let h = 0; h < hits.length; h += 3) if (start < hits[h + 1]! && hits[h]! < end) return true;
    return false;
  };

  const scanString = (s: string): string => {
    const length = s.length;
    if (length < shortest) return s;
    // The first finder's spans are kept as they are; `hits` is built only when a second one finds any.
    let first: Spans | undefined;
    let firstRule = -1;
    let hits: number[] | undefined;
    const features = prescan && length <= PRESCAN_MAX_LENGTH ? textFeatures(s, table) : F_ALL;
    if (allGated && (features & anyNeeded) === 0) return s;
    for (let f = 0; f < finderCount; f++) {
      if (length < minLengths[f]! || (features & needs[f]!) !== needs[f] || active[finderRule[f]!] === 0)
        continue;
      const spans = finds[f]!(s);
      if (!spans) continue;
      const rule = finderRule[f]!;
      if (!first) {
        first = spans;
        firstRule = rule;
        continue;
      }
      if (!hits) {
        hits = [];
        for (let i = 0; i < first.length; i += 2) hits.push(first[i]!, first[i + 1]!, firstRule);
      }
      for (let i = 0; i < spans.length; i += 2) {
        const start = spans[i]!;
        const end = spans[i + 1]!;
        if (!overlaps(hits, start, end)) hits.push(start, end, rule);
      }
    }
    if (!first) return s;
    if (!hits) return replaceSpans(s, first, firstRule);
    const order: number[] = [];
    for (let h = 0; h < hits.length; h += 3) order.push(h);
    // Most strings have one hit: nothing to sort.
    if (order.length > 1) order.sort((a, b) => hits[a]! - hits[b]!);
    let out = '';
    let last = 0;
    for (const h of order) {
      const start = hits[h]!;
      const end = hits[h + 1]!;
      const rule = hits[h + 2]!;
      fired[rule] = 1;
      out += s.slice(last, start) + rules[rule]!.action.replace(s.slice(start, end));
      last = end;
    }
    return out + s.slice(last);
  };

  /** `s` with one rule's spans (ascending, non-overlapping) replaced. */
  const replaceSpans = (s: string, spans: Spans, rule: number): string => {
    fired[rule] = 1;
    const replace = rules[rule]!.action.replace;
    if (spans.length === 2 && spans[0] === 0 && spans[1] === s.length) return replace(s);
    let out = '';
    let last = 0;
    for (let i = 0; i < spans.length; i += 2) {
      const start = spans[i]!;
      out += s.slice(last, start) + replace(s.slice(start, spans[i + 1]));
      last = spans[i + 1]!;
    }
    return out + s.slice(last);
  };

  return { finderCount, scanString };
}
