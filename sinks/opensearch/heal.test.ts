import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { healDocument, locate, QUARANTINE_FIELDS_KEY, QUARANTINE_KEY } from './heal.js';

describe('locate', () => {
  const doc = { a: { b: { c: 1 } }, attributes: { 'http.status': 'x', http: { method: 'GET' } } };
  it.each([
    ['a.b.c', ['a', 'b', 'c']],
    ['a.b', ['a', 'b']],
    ['attributes.http.status', ['attributes', 'http.status']],
    ['attributes.http.method', ['attributes', 'http', 'method']],
    ['a.x', undefined],
    ['a.b.c.d', undefined],
  ])('finds %s', (path, keys) => {
    expect(locate(doc, path)).toEqual(keys);
  });
});

describe('healDocument', () => {
  it('moves the offending value to quarantine as a string and records the field', () => {
    const doc = {
      message: 'm',
      lambda: { platform: 'report', report: { duration_ms: 'abc', billed_duration_ms: 2 } },
    };
    const healed = healDocument(doc, 'lambda.report.duration_ms');
    expect(healed).toEqual({
      message: 'm',
      lambda: { platform: 'report', report: { billed_duration_ms: 2 } },
      [QUARANTINE_KEY]: { 'lambda.report.duration_ms': 'abc' },
      [QUARANTINE_FIELDS_KEY]: ['lambda.report.duration_ms'],
    });
  });

  it('keeps non-strings as JSON and accumulates several heals', () => {
    const once = healDocument({ extra: { x: 1 }, other: [1, 2] }, 'extra');
    const twice = healDocument(once!, 'other');
    expect(twice).toEqual({
      [QUARANTINE_KEY]: { extra: '{"x":1}', other: '[1,2]' },
      [QUARANTINE_FIELDS_KEY]: ['extra', 'other'],
    });
  });

  it('does not mutate its input', () => {
    const doc = { a: { b: 1, c: 2 } };
    const copy = structuredClone(doc);
    healDocument(doc, 'a.b');
    expect(doc).toEqual(copy);
  });

  it('gives up when the field is not in the document or is the quarantine itself', () => {
    expect(healDocument({ a: 1 }, '@timestamp')).toBeUndefined();
    expect(healDocument({ quarantine: { a: 'x' } }, 'quarantine.a')).toBeUndefined();
  });

  it('treats __proto__ as a plain key', () => {
    const doc = JSON.parse('{"attributes":{"__proto__":{"polluted":1}}}') as Record<string, unknown>;
    const healed = healDocument(doc, 'attributes.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((healed![QUARANTINE_KEY] as Record<string, unknown>)['attributes.__proto__']).toBe(
      '{"polluted":1}',
    );
  });

  it('always removes the field and keeps every other value (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !k.includes('.')),
          fc.jsonValue(),
          {
            minKeys: 1,
          },
        ),
        (doc) => {
          const key = Object.keys(doc)[0] as string;
          if (key === QUARANTINE_KEY || key === QUARANTINE_FIELDS_KEY) return;
          const healed = healDocument(doc, key);
          expect(healed).toBeDefined();
          expect(Object.hasOwn(healed!, key)).toBe(false);
          for (const other of Object.keys(doc)) {
            if (other !== key && other !== QUARANTINE_KEY && other !== QUARANTINE_FIELDS_KEY) {
              expect(healed![other]).toEqual(doc[other]);
            }
          }
        },
      ),
    );
  });
});
