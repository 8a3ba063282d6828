import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundLongValues, utf8Prefix } from './bound.js';
import { QUARANTINE_FIELDS_KEY, QUARANTINE_KEY } from './heal.js';

const LIMIT = 1024;
const bytes = (s: string): number => Buffer.byteLength(s);

/** Every `<path>=<value>` term a flat_object field `attributes` would index. */
function terms(value: unknown, path = 'attributes'): string[] {
  if (typeof value === 'string') return [`${path}=${value}`];
  if (Array.isArray(value)) return value.flatMap((v) => terms(v, path));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => terms(v, `${path}.${k}`));
  }
  return [`${path}=${String(value)}`];
}

describe('utf8Prefix', () => {
  it('cuts at a character boundary, never inside a multi-byte character', () => {
    expect(utf8Prefix('aé€😀', 1)).toBe('a');
    expect(utf8Prefix('aé€😀', 2)).toBe('a');
    expect(utf8Prefix('aé€😀', 3)).toBe('aé');
    expect(utf8Prefix('aé€😀', 6)).toBe('aé€');
    expect(utf8Prefix('aé€😀', 9)).toBe('aé€'); // the emoji takes 4 bytes, one short
    expect(utf8Prefix('aé€😀', 10)).toBe('aé€😀');
  });
});

describe('boundLongValues', () => {
  it('changes nothing (and copies nothing) when every value fits', () => {
    const doc = { message: 'x'.repeat(5000), attributes: { a: 'short', n: 1, list: ['x', 'y'] } };
    expect(boundLongValues(doc, LIMIT)).toBeUndefined();
  });

  it('cuts a long attribute to what fits with its path and keeps the whole value in quarantine', () => {
    const long = `begin-${'x'.repeat(40_000)}-end`;
    const doc = { message: 'm', attributes: { http: { body: long }, status: 200 } };
    const out = boundLongValues(doc, LIMIT);
    const bounded = out?.doc as { attributes: { http: { body: string }; status: number } };
    expect(bounded.attributes.status).toBe(200);
    expect(bounded.attributes.http.body.startsWith('begin-xxx')).toBe(true);
    expect(bytes(`attributes.http.body=${bounded.attributes.http.body}`)).toBe(LIMIT);
    expect(out?.doc[QUARANTINE_KEY]).toEqual({ 'attributes.http.body': long });
    expect(out?.doc[QUARANTINE_FIELDS_KEY]).toEqual(['attributes.http.body']);
    expect(out?.fields).toEqual(['attributes.http.body']);
    expect(doc.attributes.http.body).toBe(long); // input untouched
  });

  it('keeps a cut array whole as JSON, and moves an entry whose key alone is too long', () => {
    const longKey = 'k'.repeat(LIMIT);
    const doc = {
      attributes: { list: ['ok', 'é'.repeat(LIMIT)], [longKey]: { inner: 1 } },
      [QUARANTINE_KEY]: { 'service.name': '{}' },
      [QUARANTINE_FIELDS_KEY]: ['service.name'],
    };
    const out = boundLongValues(doc, LIMIT);
    const attributes = out?.doc.attributes as Record<string, unknown>;
    expect(Object.keys(attributes)).toEqual(['list']);
    expect((attributes.list as string[])[0]).toBe('ok');
    expect(out?.doc[QUARANTINE_KEY]).toEqual({
      'service.name': '{}',
      'attributes.list': JSON.stringify(doc.attributes.list),
      [`attributes.${longKey}`]: '{"inner":1}',
    });
    expect(out?.doc[QUARANTINE_FIELDS_KEY]).toEqual([
      'service.name',
      'attributes.list',
      `attributes.${longKey}`,
    ]);
  });

  it('leaves every indexed term within the limit and loses no value (property)', () => {
    const leaf = fc.oneof(fc.string({ maxLength: 3000, unit: 'binary' }), fc.integer(), fc.boolean());
    const attrs = fc.dictionary(
      fc.string({ maxLength: 400 }),
      fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 300 }), leaf)),
    );
    fc.assert(
      fc.property(attrs, (attributes) => {
        const doc = { attributes };
        const out = boundLongValues(doc, LIMIT);
        const result = out?.doc ?? doc;
        for (const t of terms(result.attributes)) expect(bytes(t)).toBeLessThanOrEqual(LIMIT);
        // Every original leaf is either still whole in the attributes or kept in quarantine.
        const kept = new Set(terms(result.attributes));
        const quarantine = (result as Record<string, unknown>)[QUARANTINE_KEY] as
          | Record<string, string>
          | undefined;
        for (const [path, value] of Object.entries(attributes)) {
          const whole = terms(value, `attributes.${path}`).every((t) => kept.has(t));
          const parked = Object.keys(quarantine ?? {}).some(
            (q) => q === `attributes.${path}` || q.startsWith(`attributes.${path}.`),
          );
          expect(whole || parked).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
