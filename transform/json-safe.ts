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
  // A value of depth d needs at least 2d characters, so short texts skip the walk.
  if (text.length > 2 * maxDepth && exceedsDepth(value, maxDepth)) return { kind: 'too_deep' };
  return { kind: 'object', value: value as Record<string, unknown> };
}

/** True when `root` nests objects/arrays deeper than `max` (iterative: no recursion). */
export function exceedsDepth(root: unknown, max: number): boolean {
  const stack: unknown[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop();
    const d = depths.pop()!;
    if (d > max) return true;
    if (Array.isArray(v)) {
      for (const x of v) {
        if (x !== null && typeof x === 'object') {
          stack.push(x);
          depths.push(d + 1);
        }
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const x = o[k];
        if (x !== null && typeof x === 'object') {
          stack.push(x);
          depths.push(d + 1);
        }
      }
    }
  }
  return false;
}
