/**
 * Field paths: dotted names into a `LogEvent` (`attributes.user.id`), compiled once into
 * segment arrays. Redaction patterns may also use `*` (one segment) and `**` (any depth).
 * `__proto__`, `constructor` and `prototype` are rejected at compile time, and every lookup
 * reads own properties only, so no rule can reach an object's prototype.
 */

/** Segments no path may contain. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A plain JSON-ish object. */
export type JsonObject = Record<string, unknown>;

/** Returns why `path` is not a valid field path, or undefined when it is. */
export function pathProblem(path: string, opts: { wildcards: boolean }): string | undefined {
  if (path.length === 0) return 'an empty path';
  const segments = path.split('.');
  if (segments.length > 32) return `${segments.length} segments (at most 32)`;
  for (const seg of segments) {
    if (seg.length === 0) return 'an empty segment (two dots, or a leading/trailing dot)';
    if (FORBIDDEN_SEGMENTS.has(seg)) return `the forbidden segment '${seg}'`;
    if (!opts.wildcards && seg.includes('*'))
      return `a wildcard segment '${seg}' where a plain path is required`;
    if (opts.wildcards && seg.includes('*') && seg !== '*' && seg !== '**')
      return `the segment '${seg}' (a wildcard must be a whole segment: '*' or '**')`;
  }
  return undefined;
}

/** Splits a validated path into segments. */
export function splitPath(path: string): readonly string[] {
  return path.split('.');
}

/** True for a non-null, non-array object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(v: unknown, seg: string): unknown {
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    const i = Number(seg);
    return Number.isInteger(i) && i >= 0 ? v[i] : undefined;
  }
  // Own properties only; a missing key (the common miss) needs no `hasOwn`.
  const x = (v as JsonObject)[seg];
  return x !== undefined && Object.hasOwn(v, seg) ? x : undefined;
}

/** Reads the value at `segments` (own properties only); undefined when any step is missing. */
export function getPath(root: unknown, segments: readonly string[]): unknown {
  let v = root;
  for (const seg of segments) {
    if (v === undefined) return undefined;
    v = child(v, seg);
  }
  return v;
}

/**
 * Copy-on-write for several writes to one event: `owned` holds the objects already copied for
 * this event (the root included), which may be written in place; any other object on the path
 * is copied first. The caller's input is never mutated.
 */
export function setPathOwned(
  root: JsonObject,
  segments: readonly string[],
  value: unknown,
  owned: Set<object>,
): void {
  let obj = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    const next = Object.hasOwn(obj, key) ? obj[key] : undefined;
    let child: JsonObject;
    if (isObject(next) && owned.has(next)) child = next;
    else {
      child = isObject(next) ? { ...next } : {};
      owned.add(child);
      obj[key] = child;
    }
    obj = child;
  }
  obj[segments[segments.length - 1]!] = value;
}

/**
 * Deletes the value at `segments` under the same copy-on-write rule as {@link setPathOwned}.
 * Below the root, the object that held the value is replaced by a copy without it rather than
 * `delete`d from: `delete` turns an object into a slow dictionary for every later read, write
 * and `JSON.stringify`.
 */
export function deletePathOwned(root: JsonObject, segments: readonly string[], owned: Set<object>): void {
  const last = segments[segments.length - 1]!;
  if (segments.length === 1) {
    delete root[last];
    return;
  }
  let obj = root;
  for (let i = 0; i < segments.length - 2; i++) {
    const key = segments[i]!;
    const next = Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (!isObject(next)) return;
    let child = next;
    if (!owned.has(next)) {
      child = { ...next };
      owned.add(child);
      obj[key] = child;
    }
    obj = child;
  }
  const key = segments[segments.length - 2]!;
  const holder = Object.hasOwn(obj, key) ? obj[key] : undefined;
  if (!isObject(holder) || !Object.hasOwn(holder, last)) return;
  const copy: JsonObject = {};
  for (const k of Object.keys(holder)) {
    if (k === last) continue;
    // A `__proto__` key (JSON.parse makes it an own property) is defined, not assigned.
    if (k === '__proto__')
      Object.defineProperty(copy, k, {
        value: holder[k],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[k] = holder[k];
  }
  owned.delete(holder);
  owned.add(copy);
  obj[key] = copy;
}
