import { isObject, type JsonObject } from '../path.js';
import type { CompiledRedactRule } from './compile.js';

/** What the walker returns for a value a `remove` rule claims: the caller deletes it. */
export const REMOVE = Symbol('remove');

/**
 * Writes an own property. A `__proto__` key (JSON.parse creates it as an own property) is
 * defined, not assigned: assignment would set the prototype and silently lose the value.
 */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * A whole value claimed by rule `rule` (a field pattern or key name): {@link REMOVE}, or a copy
 * with every string and number replaced by the rule's action. Sets `fired[rule]` when it changes
 * something.
 */
export function replaceWhole(
  rules: readonly CompiledRedactRule[],
  fired: Uint8Array,
  value: unknown,
  rule: number,
): unknown {
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
}
