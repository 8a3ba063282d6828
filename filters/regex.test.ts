import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAuthorRegex, regexProblem, toJsSyntax } from './regex.js';

/** Spans with a native JS RegExp, for patterns whose RE2 and JS semantics agree. */
function jsSpans(re: RegExp, s: string): number[] | undefined {
  const out: number[] = [];
  for (const m of s.matchAll(re)) if (m[0].length > 0) out.push(m.index, m.index + m[0].length);
  return out.length ? out : undefined;
}

describe('author regexes', () => {
  it('exposes the literal prefix RE2 computed, and none for anchored or case-insensitive patterns', () => {
    expect(compileAuthorRegex('SKU-[0-9a-f]{6}').literalPrefix).toBe('SKU-');
    expect(compileAuthorRegex('^/(health|ready)$').literalPrefix).toBe('');
    expect(compileAuthorRegex('(?i)sku-[0-9]').literalPrefix).toBe('');
    expect(compileAuthorRegex('ab|ac').literalPrefix).toBe('a');
  });

  it('gives the same spans, captures and test results on interleaved calls (one matcher is reused)', () => {
    const sku = compileAuthorRegex('SKU-[0-9a-f]{6}');
    const group = compileAuthorRegex('^/aws/lambda/(?P<app>[a-z]+)$');
    expect(sku.spans('x SKU-a1b2c3 y SKU-000000')).toEqual([2, 12, 15, 25]);
    expect(sku.spans('no match here')).toBeUndefined();
    expect(sku.spans('SKU-zzzzzz SKU-abcdef')).toEqual([11, 21]);
    expect(sku.test('SKU-abcdef')).toBe(true);
    expect(sku.test('SKU-')).toBe(false);
    expect(group.captures('/aws/lambda/orders')).toEqual({ app: 'orders' });
    expect(group.captures('/aws/lambda/Orders')).toBeUndefined();
    expect(group.captures('/aws/lambda/search')).toEqual({ app: 'search' });
  });

  it('finds exactly the matches a JS RegExp finds, with and without a literal prefix', () => {
    const text = fc.string({
      unit: fc.constantFrom('S', 'K', 'U', '-', 'a', '1', 'f', ' ', 'x'),
      maxLength: 40,
    });
    for (const source of ['SKU-[0-9a-f]{2}', '[a-f0-9]{2}-?x', 'U-|K1']) {
      const re2 = compileAuthorRegex(source);
      const js = new RegExp(source, 'g');
      fc.assert(
        fc.property(text, text, (a, b) => {
          expect(re2.spans(a)).toEqual(jsSpans(js, a));
          expect(re2.spans(b)).toEqual(jsSpans(js, b));
          expect(re2.test(a)).toBe(jsSpans(js, a) !== undefined);
        }),
      );
    }
  });
});

describe('the ReDoS check fails closed', () => {
  it('analyses RE2-only syntax after translating it: (?s) and (?P<name>) no longer bypass it', () => {
    expect(toJsSyntax('(?s)(a+)+$')).toEqual({ body: '(a+)+$', flags: 's' });
    expect(toJsSyntax('(?P<x>(a|a)*)b')).toEqual({ body: '(?<x>(a|a)*)b', flags: '' });
    expect(regexProblem('(?s)(a+)+$')).toMatch(/catastrophic \(ReDoS\)/);
    expect(regexProblem('(?P<x>(a|a)*)b')).toMatch(/catastrophic \(ReDoS\)/);
    expect(regexProblem('(?is)^order-[0-9]{4}$')).toBeUndefined();
    expect(regexProblem('^/aws/lambda/(?P<app>[a-z]+)$')).toBeUndefined();
  });

  it('rejects what the check cannot read, with what to write instead', () => {
    for (const p of ['(?U)(a+)+$', 'x(?i)(a+)+$', 'a\\pL+b', '[[:alpha:]]+$'])
      expect([p, regexProblem(p)]).toEqual([p, expect.stringContaining('cannot read')]);
  });
});
