import { pushTo } from '../push.js';
import type { CompiledRedactRule } from './compile.js';
import { normaliseKey } from './secret-keys.js';

export const KEY_MEMO_LIMIT = 10_000;
const EMPTY: readonly number[] = [];

/**
 * The redactor's field-pattern matcher: every rule's field patterns compiled into one state set
 * walked key by key (a state is `pattern index << 8 | segment index`; `**` closes over itself).
 * `active[rule]` (1 / 0) is the redactor's per-event switch for rules with a `when`.
 */
export interface PathClaims {
  /** The states before the first key (empty when there are no field patterns). */
  readonly initial: readonly number[];
  /** The states after `key`; allocates only when a pattern advances. */
  step(states: readonly number[], key: string): readonly number[];
  /** The highest-priority active rule whose pattern ends in `states` (-1: none). */
  claimedByPath(states: readonly number[]): number;
}

/** Compiles the field patterns of `rules` (priority = rule order) into {@link PathClaims}. */
export function compilePathClaims(rules: readonly CompiledRedactRule[], active: Uint8Array): PathClaims {
  const patterns: { segs: readonly string[]; rule: number }[] = [];
  rules.forEach((r, i) => {
    for (const segs of r.fieldPatterns) patterns.push({ segs, rule: i });
  });
  const closure = (states: number[]): number[] => {
    for (let k = 0; k < states.length; k++) {
      const s = states[k]!;
      const p = patterns[s >> 8]!;
      if (p.segs[s & 255] === '**' && !states.includes(s + 1)) states.push(s + 1);
    }
    return states;
  };
  return {
    initial: patterns.length ? closure(patterns.map((_, i) => i << 8)) : EMPTY,
    step(states, key) {
      // Allocates only when a pattern advances: most keys advance none.
      let out: number[] | undefined;
      for (const s of states) {
        const seg = patterns[s >> 8]!.segs[s & 255];
        if (seg === '**') out = pushTo(out, s);
        else if (seg === '*' || seg === key) out = pushTo(out, s + 1);
      }
      return out ? closure(out) : EMPTY;
    },
    claimedByPath(states) {
      let best = -1;
      for (const s of states) {
        const p = patterns[s >> 8]!;
        if ((s & 255) === p.segs.length && active[p.rule] === 1 && (best < 0 || p.rule < best)) best = p.rule;
      }
      return best;
    },
  };
}

/**
 * The redactor's key-name rules: per key name (memoised, bounded), the highest-priority active
 * rule whose key globs match its normalised form; `undefined` when no rule has key globs.
 */
export function compileKeyClaims(
  rules: readonly CompiledRedactRule[],
  active: Uint8Array,
): ((key: string) => number) | undefined {
  const keyRules = rules.flatMap((r, i) => (r.keyMatcher ? [{ match: r.keyMatcher, rule: i }] : []));
  if (keyRules.length === 0) return undefined;
  /** Per key name: the key rules that claim it, in priority order (most keys: none). */
  const keyMemo = new Map<string, readonly number[]>();
  return (key) => {
    let hits = keyMemo.get(key);
    if (hits === undefined) {
      const norm = normaliseKey(key);
      hits = EMPTY;
      for (const k of keyRules) if (k.match(norm)) hits = [...hits, k.rule];
      if (keyMemo.size >= KEY_MEMO_LIMIT) keyMemo.clear();
      keyMemo.set(key, hits);
    }
    for (let i = 0; i < hits.length; i++) if (active[hits[i]!] === 1) return hits[i]!;
    return -1;
  };
}
