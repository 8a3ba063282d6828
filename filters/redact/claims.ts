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

/** What the redactor knows about one key name (memoised per name, see {@link compileKeyNames}). */
export interface KeyName {
  /** The key rules that claim the name, in priority order (most names: none). */
  readonly hits: readonly number[];
  /** Set by the walker once the name is known to hold no finder match (only while that cannot change). */
  clean: boolean;
}

/**
 * The redactor's key names: one memo lookup per key gives the key-name rules that claim it (the
 * highest-priority active one wins, see {@link KeyNames.claim}) and whether the name itself is
 * already known to be clean of secrets, so that a key costs one lookup for both. Bounded: the memo
 * is cleared at {@link KEY_MEMO_LIMIT} names.
 */
export interface KeyNames {
  /** True when some rule has key globs. */
  readonly any: boolean;
  entry(key: string): KeyName;
  /** The highest-priority active rule among `name.hits` (-1: none). */
  claim(name: KeyName): number;
}

/** Compiles the key globs of `rules` (priority = rule order) into {@link KeyNames}. */
export function compileKeyNames(rules: readonly CompiledRedactRule[], active: Uint8Array): KeyNames {
  const keyRules = rules.flatMap((r, i) => (r.keyMatcher ? [{ match: r.keyMatcher, rule: i }] : []));
  const memo = new Map<string, KeyName>();
  return {
    any: keyRules.length > 0,
    entry(key) {
      let name = memo.get(key);
      if (name === undefined) {
        let hits = EMPTY;
        if (keyRules.length) {
          const norm = normaliseKey(key);
          for (const k of keyRules) if (k.match(norm)) hits = [...hits, k.rule];
        }
        if (memo.size >= KEY_MEMO_LIMIT) memo.clear();
        name = { hits, clean: false };
        memo.set(key, name);
      }
      return name;
    },
    claim(name) {
      const hits = name.hits;
      for (let i = 0; i < hits.length; i++) if (active[hits[i]!] === 1) return hits[i]!;
      return -1;
    },
  };
}
