import type { LogEvent } from '../../transform/schema.js';
import { isObject, type JsonObject } from '../path.js';
import { compileKeyNames, compilePathClaims } from './claims.js';
import { type CompiledRedactRule, isCardInteger } from './compile.js';
import { REDACT_ROOTS } from './config.js';
import { idFieldScanner } from './id-fields.js';
import { compileTextScanner } from './scan.js';
import { REMOVE, replaceWhole, setOwn } from './values.js';

const ownProperty = Object.prototype.hasOwnProperty;

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
  const cardRules = rules.flatMap((r, i) => (r.cardNumbers ? [i] : []));
  // Rules with a `when`: `active` is set per event (1: the rule applies to the current event).
  const conditional = rules.flatMap((r, i) => (r.when ? [{ when: r.when, rule: i }] : []));
  const active = new Uint8Array(rules.length).fill(1);
  const packRules = rules.filter((r) => r.name.startsWith('default/'));
  /** The first active rule that checks integers as card numbers (-1: none), for the current event. */
  let cardRule = cardRules[0] ?? -1;
  // Field patterns (a path state machine) and key-name rules claim whole values: claims.ts.
  const { initial, step, claimedByPath } = compilePathClaims(rules, active);
  const keyNames = compileKeyNames(rules, active);
  /** Every event sees the same rules (no rule has a `when`), so a clean key name stays clean. */
  const memoCleanKeys = conditional.length === 0;
  // Per-event scratch state, reused: the walker is synchronous and never re-entered.
  /** 1 for each rule that changed the current event. */
  const fired = new Uint8Array(rules.length);
  // Detectors and patterns on every string (and key name): scan.ts.
  const { finderCount, scanString } = compileTextScanner(rules, active, fired);
  // The id-like fields are scanned by the default pack's detectors only; its rules have no `when`,
  // so their switch is fixed and a value found clean stays clean (see redactIdFields).
  const packOnly = Uint8Array.from(rules, (r) => (r.name.startsWith('default/') ? 1 : 0));
  const packScanner = packRules.length ? compileTextScanner(rules, packOnly, fired) : undefined;
  const idFields =
    packScanner && packScanner.finderCount > 0 ? idFieldScanner(packScanner.scanString) : undefined;
  // Only field patterns: nothing below a node the patterns cannot reach needs a visit.
  const pathsOnly = !keyNames.any && finderCount === 0 && cardRules.length === 0;
  let owned: ReadonlySet<object> | undefined;
  /** Set when an owned object was written in place (the root then needs no copy). */
  let inPlace = false;

  /** `keyClaim`: the key-name rule that claims `key` (-1: none; a field pattern claim comes first). */
  const visit = (
    value: unknown,
    key: string | undefined,
    states: readonly number[],
    keyClaim: number,
  ): unknown => {
    let next = states;
    let claimed = -1;
    if (states.length && key !== undefined) {
      next = step(states, key);
      claimed = claimedByPath(next);
    }
    if (claimed < 0) claimed = keyClaim;
    if (claimed >= 0) return replaceWhole(rules, fired, value, claimed);
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
        const r = visit(v, next.length ? String(i) : undefined, next, -1);
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
      // `hasOwnProperty.call` on the for-in key is the form V8 reduces to a map check.
      for (const k in value) {
        if (!ownProperty.call(value, k)) continue;
        const v = value[k];
        const name = keyNames.entry(k);
        const r = visit(v, k, next, name.hits.length ? keyNames.claim(name) : -1);
        // A secret used as a key name (an access key, a token) is redacted in the key too.
        let nk = k;
        if (finderCount && !name.clean) {
          nk = scanString(k);
          if (nk === k && memoCleanKeys) name.clean = true;
        }
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
      const r = visit(v, name, initial, -1);
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
    // Only the default pack's secret detectors: an author rule (e.g. emails) does not touch ids.
    if (idFields) out = idFields(event, out);
    owned = undefined;
    if (!inPlace && !out) return { event, fired: [] };
    const names: string[] = [];
    for (let i = 0; i < rules.length; i++) if (fired[i] === 1) names.push(rules[i]!.name);
    return { event: out ?? event, fired: names };
  };
}
