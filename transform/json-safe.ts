/** What {@link parseJsonObject} found. */
export type JsonParse =
  | { readonly kind: 'object'; readonly value: Record<string, unknown> }
  | { readonly kind: 'other' } // valid JSON that is not an object (array, string, number…)
  | { readonly kind: 'invalid' } // not JSON (possibly cut off)
  | { readonly kind: 'too_deep' }; // valid JSON nested deeper than the limit

/**
 * Parses untrusted text that should hold a JSON object. Never throws. `JSON.parse` defines
 * `__proto__` and `constructor` keys as plain own properties (no prototype pollution), and
 * callers copy keys with `defineOwn`. Values nested deeper than `maxDepth` are refused: they
 * could not be serialised again (V8's `JSON.stringify` overflows the stack at a few thousand).
 */
export function parseJsonObject(text: string, maxDepth: number): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return err instanceof RangeError ? { kind: 'too_deep' } : { kind: 'invalid' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'other' };
  // A value of depth d needs at least 2d characters and d opening brackets, so most texts skip the walk.
  if (text.length > 2 * maxDepth && openings(text, maxDepth) > maxDepth && exceedsDepth(value, maxDepth)) {
    return { kind: 'too_deep' };
  }
  return { kind: 'object', value: value as Record<string, unknown> };
}

/** Counts `{` and `[` in `text`, stopping once the count exceeds `limit` (native `indexOf` scans). */
function openings(text: string, limit: number): number {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1 && n <= limit; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i !== -1 && n <= limit; i = text.indexOf('[', i + 1)) n++;
  return n;
}

/**
 * True when `root` nests objects/arrays deeper than `max`. Recursion is bounded by `max` (at most
 * 2000, see `compileNormalizer`), so it cannot overflow the stack whatever the input.
 */
function exceedsDepth(root: unknown, max: number): boolean {
  return deeper(root, max);
}

function deeper(v: unknown, left: number): boolean {
  if (left === 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && deeper(x, left - 1)) return true;
    }
    return false;
  }
  const o = v as Record<string, unknown>;
  // for…in: no key array allocated; inherited keys (if any) only make the check stricter.
  for (const k in o) {
    const x = o[k];
    if (x !== null && typeof x === 'object' && deeper(x, left - 1)) return true;
  }
  return false;
}
