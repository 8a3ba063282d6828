import type { LogEvent } from '../../transform/schema.js';
import { isObject, type JsonObject } from '../path.js';
import { compileKeyClaims, compilePathClaims, KEY_MEMO_LIMIT } from './claims.js';
import { type CompiledRedactRule, isCardInteger } from './compile.js';
import { REDACT_ROOTS } from './config.js';
import type { SpanFinder, Spans } from './detectors.js';
import { F_ALL, PRESCAN_MAX_LENGTH, PRESCAN_MIN_FINDERS, textFeatures } from './prescan.js';

/** The result of redacting one event. */
export interface RedactResult {
  /** The redacted event (the input itself when nothing changed; the input is never mutated). */
  readonly event: LogEvent;
  /** Names of the rules that changed it, in rule order. */
  readonly fired: readonly string[];
}

/**
 * Redacts one event. `owned` (optional) names objects of the event the caller copied for this
 * event and allows to be written in place (a pipeline's draft); every other object is copied
 * before a change, so the caller's input is never mutated.
 */
export type Redactor = (event: LogEvent, owned?: ReadonlySet<object>) => RedactResult;

const REMOVE = Symbol('remove');

/**
 * Writes an own property. A `__proto__` key (JSON.parse creates it as an own property) is
 * defined, not assigned: assignment would set the prototype and silently lose the value.
 */
function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Id-like fields the default pack's secret detectors also scan (masking only the matched text): `transaction.id`,
 * `trace.id`, `faas.execution`, `service.name` and the log group and stream. `event.id` is not
 * scanned: it is a hash or a CloudWatch id, and the store's key.
 */
const ID_FIELDS: readonly (readonly [string, ...string[]])[] = [
  ['transaction', 'id'],
  ['trace', 'id'],
  ['faas', 'execution'],
  ['service', 'name'],
  ['aws', 'cloudwatch', 'log_group'],
  ['aws', 'cloudwatch', 'log_stream'],
];

/**
 * Builds the redaction walker over all redact rules, highest priority first (author rules in
 * file order, then the default pack). One walk per event covers every rule:
 * 1. a field pattern or key name claims a whole value for the first rule that matches it;
 * 2. otherwise every string is scanned by every rule's detectors and patterns — all on the
 *    original text; where matches overlap the earlier rule wins; each is replaced once, so a
 *    replacement is never scanned again.
 * Only `message`, `error` and `attributes` are walked; objects are copied on write.
 */
export function createRedactor(rules: readonly CompiledRedactRule[]): Redactor {
  // Every string finder of every rule, in rule order, as parallel arrays (no per-string allocation).
  const finds: SpanFinder[] = [];
  const minLengths: number[] = [];
  const needs: number[] = [];
  const finderRule: number[] = [];
  rules.forEach((r, i) => {
    for (const f of r.finders) {
      finds.push(f.find);
      minLengths.push(f.minLength);
      needs.push(f.needs);
      finderRule.push(i);
    }
  });
  // The pre-scan of short strings runs at the lengths where it can rule out at least
  // PRESCAN_MIN_FINDERS finders (below that, their own native pre-checks are cheaper).
  const prescanAt = new Uint8Array(PRESCAN_MAX_LENGTH + 1);
  for (let len = 0; len <= PRESCAN_MAX_LENGTH; len++) {
    let gated = 0;
    for (let f = 0; f < finds.length; f++) if (needs[f] !== 0 && minLengths[f]! <= len) gated++;
    prescanAt[len] = gated >= PRESCAN_MIN_FINDERS ? 1 : 0;
  }
  const finderCount = finds.length;
  const shortest = Math.min(...minLengths);
  const cardRules = rules.flatMap((r, i) => (r.cardNumbers ? [i] : []));
  // Rules with a `when`: `active` is set per event (1: the rule applies to the current event).
  const conditional = rules.flatMap((r, i) => (r.when ? [{ when: r.when, rule: i }] : []));
  const active = new Uint8Array(rules.length).fill(1);
  /** 1 for the default pack's rules (the only ones that scan id-like fields). */
  const packRule = Uint8Array.from(rules, (r) => (r.name.startsWith('default/') ? 1 : 0));
  const packRules = rules.filter((r) => r.name.startsWith('default/'));
  /** The first active rule that checks integers as card numbers (-1: none), for the current event. */
  let cardRule = cardRules[0] ?? -1;
  // Field patterns (a path state machine) and key-name rules claim whole values: claims.ts.
  const { initial, step, claimedByPath } = compilePathClaims(rules, active);
  const claimedByKey = compileKeyClaims(rules, active);
  // Only field patterns: nothing below a node the patterns cannot reach needs a visit.
  const pathsOnly = claimedByKey === undefined && finderCount === 0 && cardRules.length === 0;

  // Per-event scratch state, reused: the walker is synchronous and never re-entered.
  const fired = new Uint8Array(rules.length);
  let owned: ReadonlySet<object> | undefined;
  /** Set when an owned object was written in place (the root then needs no copy). */
  let inPlace = false;

  const whole = (value: unknown, rule: number): unknown => {
    const r = rules[rule]!;
    if (r.action.remove) {
      fired[rule] = 1;
      return REMOVE;
    }
    const deep = (v: unknown): unknown => {
      if (typeof v === 'string' || typeof v === 'number') {
        fired[rule] = 1;
        return r.action.replace(String(v));
      }
      if (Array.isArray(v)) return v.map(deep);
      if (isObject(v)) {
        const out: JsonObject = {};
        for (const k of Object.keys(v)) setOwn(out, k, deep(v[k]));
        return out;
      }
      return v;
    };
    return deep(value);
  };

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
    const features = length <= PRESCAN_MAX_LENGTH && prescanAt[length] === 1 ? textFeatures(s) : F_ALL;
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

  /** Key names no finder matched (memoised while no rule has a `when`: then every event sees the same rules). */
  const cleanKeys = new Set<string>();
  const scanKey = (k: string): string => {
    if (k.length < shortest || cleanKeys.has(k)) return k;
    const out = scanString(k);
    if (out === k && conditional.length === 0) {
      if (cleanKeys.size >= KEY_MEMO_LIMIT) cleanKeys.clear();
      cleanKeys.add(k);
    }
    return out;
  };

  const visit = (
    value: unknown,
    key: string | undefined,
    states: readonly number[],
    objectKey: boolean,
  ): unknown => {
    let next = states;
    let claimed = -1;
    if (states.length && key !== undefined) {
      next = step(states, key);
      claimed = claimedByPath(next);
    }
    if (claimed < 0 && objectKey && claimedByKey) claimed = claimedByKey(key as string);
    if (claimed >= 0) return whole(value, claimed);
    if (pathsOnly && next.length === 0) return value;
    if (typeof value === 'string') return finderCount ? scanString(value) : value;
    if (typeof value === 'number') {
      if (cardRule >= 0 && value >= 1e12 && isCardInteger(value)) {
        fired[cardRule] = 1;
        return rules[cardRule]!.action.replace(String(value));
      }
      return value;
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      let removed = false;
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        const r = visit(v, next.length ? String(i) : undefined, next, false);
        if (r !== v) {
          copy ??= value.slice();
          copy[i] = r;
          if (r === REMOVE) removed = true;
        }
      }
      if (!copy) return value;
      return removed ? copy.filter((v) => v !== REMOVE) : copy;
    }
    if (isObject(value)) {
      let copy: JsonObject | undefined;
      let renames: string[] | undefined;
      // for-in reads through V8's enum cache (no key array, no megamorphic lookups); own keys only.
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue;
        const v = value[k];
        const r = visit(v, k, next, true);
        // A secret used as a key name (an access key, a token) is redacted in the key too.
        const nk = finderCount ? scanKey(k) : k;
        if (r !== v || nk !== k) {
          if (copy === undefined) {
            copy = owned?.has(value) ? value : { ...value };
            if (copy === value) inPlace = true;
          }
          if (nk !== k) {
            renames ??= [];
            renames.push(k, nk);
          }
          if (r === REMOVE) delete copy[k];
          else setOwn(copy, k, r);
        }
      }
      if (copy && renames) {
        for (let i = 0; i < renames.length; i += 2) {
          const from = renames[i]!;
          if (!Object.hasOwn(copy, from)) continue;
          const v = copy[from];
          delete copy[from];
          let to = renames[i + 1]!;
          for (let n = 2; Object.hasOwn(copy, to); n++) to = `${renames[i + 1]}#${n}`;
          setOwn(copy, to, v);
        }
      }
      return copy ?? value;
    }
    return value;
  };

  /** Sets {@link active} and {@link cardRule} for `event`; false when no rule applies to it. */
  const activate = (event: LogEvent): boolean => {
    // A condition that throws fails the event closed (the pipeline dead-letters it).
    for (const c of conditional) active[c.rule] = c.when(event) ? 1 : 0;
    cardRule = -1;
    for (const r of cardRules)
      if (active[r] === 1) {
        cardRule = r;
        break;
      }
    return active.includes(1);
  };

  return (event, ownedObjects) => {
    if (conditional.length > 0 && !activate(event)) return { event, fired: [] };
    fired.fill(0);
    owned = ownedObjects;
    inPlace = false;
    let out: LogEvent | undefined;
    const root = event as unknown as JsonObject;
    for (const name of REDACT_ROOTS) {
      if (!Object.hasOwn(root, name)) continue;
      const v = root[name];
      const r = visit(v, name, initial, false);
      if (r === v) continue;
      if (out === undefined) {
        out = owned?.has(event) ? event : { ...event };
        if (out === event) inPlace = true;
      }
      const target = out as unknown as JsonObject;
      if (r !== REMOVE) target[name] = r;
      else if (name === 'message') target[name] = '';
      else delete target[name];
    }
    // Id-like fields are not walked by rules (they belong to the pipeline), but a secret in one (a
    // token used as a correlation id, a key in a stream name) is masked in place by the detectors.
    if (finderCount && packRules.length) {
      // Only the default pack's secret detectors: an author rule (e.g. emails) does not rename ids.
      const saved = active.slice();
      for (let i = 0; i < rules.length; i++) if (!packRule[i]) active[i] = 0;
      for (const path of ID_FIELDS) {
        const parent = (
          path.length === 2 ? root[path[0]] : (root[path[0]] as JsonObject | undefined)?.[path[1] as string]
        ) as JsonObject | undefined;
        const leaf = path[path.length - 1]!;
        const v = parent?.[leaf];
        if (typeof v !== 'string') continue;
        const r = scanString(v);
        if (r === v) continue;
        out ??= { ...event };
        const target = out as unknown as JsonObject;
        const top = { ...(target[path[0]] as JsonObject) };
        target[path[0]] = top;
        if (path.length === 2) top[leaf] = r;
        else top[path[1]!] = { ...(top[path[1]!] as JsonObject), [leaf]: r };
      }
      active.set(saved);
    }
    owned = undefined;
    if (!inPlace && !out) return { event, fired: [] };
    const names: string[] = [];
    for (let i = 0; i < rules.length; i++) if (fired[i] === 1) names.push(rules[i]!.name);
    return { event: out ?? event, fired: names };
  };
}
