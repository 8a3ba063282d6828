import { describe, expect, it } from 'vitest';
import { attributePairs, attributePresent, attributeTermMatches } from './attributes.js';

/** A small deterministic generator (xorshift32), so every run checks the same shapes. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const KEYS = ['a', 'b', 'c', 'a.b', 'b.c', 'a.b.c'];
const LEAVES: unknown[] = ['x', 'y', 1, 2.5, true, null, ''];

/** A random attribute object mixing nested objects, dotted keys, arrays and arrays of arrays. */
function shape(r: () => number, depth: number): unknown {
  const p = r();
  if (depth > 3 || p < 0.35) return LEAVES[Math.floor(r() * LEAVES.length)];
  if (p < 0.55) return Array.from({ length: 1 + Math.floor(r() * 3) }, () => shape(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++)
    o[KEYS[Math.floor(r() * KEYS.length)] as string] = shape(r, depth + 1);
  return o;
}

describe('reading a dotted attribute key from the stored event', () => {
  it('finds exactly the values attributePairs (the attribute index) holds for the key, in every form', () => {
    const r = rng(0x5eed);
    const queried = ['a', 'a.b', 'a.b.c', 'b.c', 'c', 'a.c', 'a.b.c.a'];
    let matches = 0;
    for (let i = 0; i < 2000; i++) {
      const attributes = shape(r, 0);
      const doc = JSON.stringify({ attributes });
      const pairs = attributePairs(attributes);
      for (const key of queried)
        for (const value of ['x', 'y', '1', '2.5', 'true', '']) {
          const want = pairs.some(([k, v]) => k === key && v === value);
          if (want) matches += 1;
          expect(attributeTermMatches(doc, key, value, false), `${doc} ${key}:${value}`).toBe(want);
          const prefixWant = pairs.some(([k, v]) => k === key && v.startsWith(value));
          expect(attributeTermMatches(doc, key, value, true), `${doc} ${key}:${value}*`).toBe(prefixWant);
        }
    }
    expect(matches).toBeGreaterThan(500);
  });

  it('finds a value too long for the index, and tells a present key from a missing or null one', () => {
    const long = 'v'.repeat(500);
    expect(attributeTermMatches(JSON.stringify({ attributes: { 'a.b': long } }), 'a.b', long, false)).toBe(
      true,
    );
    expect(attributePairs({ 'a.b': long })).toEqual([]);
    expect(attributePresent(JSON.stringify({ attributes: { a: { 'b.c': {} } } }), 'a.b.c')).toBe(true);
    expect(attributePresent(JSON.stringify({ attributes: { 'a.b': [] } }), 'a.b')).toBe(true);
    expect(attributePresent(JSON.stringify({ attributes: { 'a.b': null } }), 'a.b')).toBe(false);
    expect(attributePresent(JSON.stringify({ attributes: { 'a.bc': 1 } }), 'a.b')).toBe(false);
    // `:*` does not read through an array of objects (the field index has no token for it).
    expect(attributePresent(JSON.stringify({ attributes: { a: [{ b: 1 }] } }), 'a.b')).toBe(false);
  });
});
