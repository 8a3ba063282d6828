import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../test/factories/freeze.js';
import { validateRuleFile } from '../parse.js';
import { compileRules } from '../pipeline.js';
import type { RuleFileInput } from '../rule-file.js';
import { makeEvent } from '../sample-event.js';

function run(
  rules: RuleFileInput['rules'],
  event = makeEvent(),
  opts: { defaultPack?: boolean; secrets?: Record<string, string> } = {},
) {
  const pipeline = compileRules(validateRuleFile({ rules }), { defaultPack: false, ...opts });
  const out = pipeline.process(deepFreeze(event));
  if (out.kind !== 'keep') throw new Error(`expected keep, got ${out.kind}`);
  return out.event;
}

describe('redact', () => {
  it('masks fields matched by a one-segment wildcard', () => {
    const e = run(
      [{ name: 'user', kind: 'redact', fields: ['attributes.user.*'] }],
      makeEvent({ attributes: { user: { id: 7, email: 'a@b.co' }, other: 'x' } }),
    );
    expect(e.attributes).toEqual({ user: { id: '[REDACTED]', email: '[REDACTED]' }, other: 'x' });
    expect(e.redaction).toEqual({ rules: ['user'] });
  });

  it('masks a key at any depth with ** (arrays included)', () => {
    const e = run(
      [{ name: 'pw', kind: 'redact', fields: ['**.pass'] }],
      makeEvent({ attributes: { pass: 'a', deep: { list: [{ pass: 'b' }, { keep: 'c' }] } } }),
    );
    expect(e.attributes).toEqual({
      pass: '[REDACTED]',
      deep: { list: [{ pass: '[REDACTED]' }, { keep: 'c' }] },
    });
  });

  it('matches key-name patterns case-insensitively, ignoring _ - . and spaces', () => {
    const e = run(
      [{ name: 'keys', kind: 'redact', keys: ['*apikey*', 'authorization'] }],
      makeEvent({
        attributes: {
          api_key: 'a',
          'X-Api-Key': 'b',
          apiKey: 'c',
          headers: { Authorization: 'd' },
          apiKeyCount: 3,
          ok: 'e',
        },
      }),
    );
    expect(e.attributes).toEqual({
      api_key: '[REDACTED]',
      'X-Api-Key': '[REDACTED]',
      apiKey: '[REDACTED]',
      headers: { Authorization: '[REDACTED]' },
      apiKeyCount: '[REDACTED]',
      ok: 'e',
    });
  });

  it('redacts every leaf under a matched object, keeping booleans and null', () => {
    const e = run(
      [{ name: 'k', kind: 'redact', keys: ['secret'] }],
      makeEvent({ attributes: { secret: { a: 'x', b: [1, true, null] } } }),
    );
    expect(e.attributes).toEqual({ secret: { a: '[REDACTED]', b: ['[REDACTED]', true, null] } });
  });

  it('partial keeps the last N characters and masks short values entirely', () => {
    const e = run(
      [{ name: 'p', kind: 'redact', fields: ['attributes.*'], action: 'partial', keep_last: 4 }],
      makeEvent({ attributes: { long: '1234567890', short: 'abcdefgh' } }),
    );
    expect(e.attributes).toEqual({ long: '******7890', short: '********' });
  });

  it('hash is an HMAC: same value and key → same token, different key → different token', () => {
    const rules: RuleFileInput['rules'] = [
      { name: 'h', kind: 'redact', fields: ['attributes.email'], action: 'hash', hash_key: 'K' },
    ];
    const ev = makeEvent({ attributes: { email: 'bob@example.com' } });
    const a = run(rules, ev, { secrets: { K: 'one' } }).attributes.email;
    const b = run(rules, ev, { secrets: { K: 'one' } }).attributes.email;
    const c = run(rules, ev, { secrets: { K: 'two' } }).attributes.email;
    expect(a).toMatch(/^hmac:[0-9a-f]{32}$/);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('fails to compile when the named hash key is missing', () => {
    expect(() =>
      compileRules(
        validateRuleFile({
          rules: [{ name: 'h', kind: 'redact', keys: ['email'], action: 'hash', hash_key: 'K' }],
        }),
      ),
    ).toThrow(/hash key 'K' is missing/);
  });

  it('remove deletes fields and array items, and cuts matched text', () => {
    const e = run(
      [
        { name: 'rm', kind: 'redact', fields: ['attributes.drop', 'attributes.list.*'], action: 'remove' },
        { name: 'cut', kind: 'redact', detectors: ['email'], action: 'remove' },
      ],
      makeEvent({ message: 'to a@b.co!', attributes: { drop: 1, keep: 2, list: [1, 2] } }),
    );
    expect(e.attributes).toEqual({ keep: 2, list: [] });
    expect(e.message).toBe('to !');
  });

  it('applies author regexes (RE2) to strings anywhere', () => {
    const e = run(
      [{ name: 'orders', kind: 'redact', patterns: ['ORD-[0-9]{8}'], mask_text: 'ORD-X' }],
      makeEvent({
        message: 'order ORD-12345678 shipped',
        error: { message: 'ORD-00000001 failed' },
        attributes: { n: ['ORD-11112222'] },
      }),
    );
    expect(e.message).toBe('order ORD-X shipped');
    expect(e.error?.message).toBe('ORD-X failed');
    expect(e.attributes).toEqual({ n: ['ORD-X'] });
  });

  it('never touches pipeline-owned fields', () => {
    const ev = makeEvent({ transaction: { id: 'bob@example.com' }, message: 'x' });
    const e = run([{ name: 'mail', kind: 'redact', detectors: ['email'] }], ev);
    expect(e).toBe(ev);
  });

  it('the default pack redacts secrets used as attribute key names (an access key as a key)', () => {
    const ev = makeEvent({
      attributes: {
        AKIAIOSFODNN7EXAMPLE: 'used',
        nested: { 'Bearer abcdefghijklmnopqrstuvwxyz012345': 1 },
        ok: 2,
      },
    });
    const e = run([], ev, { defaultPack: true });
    expect(JSON.stringify(e.attributes)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(e.attributes)).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
    expect(e.attributes).toMatchObject({ '[REDACTED:aws_access_key_id]': 'used', ok: 2 });
    expect(e.redaction?.rules).toEqual(expect.arrayContaining(['default/aws-access-key-id']));
    expect(ev.attributes).toHaveProperty('AKIAIOSFODNN7EXAMPLE'); // the input is not changed
  });

  it('the default pack masks secrets in id-like fields, in place; event.id is left alone', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const ev = makeEvent({
      transaction: { id: jwt },
      trace: { id: `t-${jwt}` },
      faas: { execution: `req-${jwt}` },
      service: { name: 'svc-AKIAIOSFODNN7EXAMPLE' },
      aws: { cloudwatch: { log_group: '/aws/lambda/AKIAIOSFODNN7EXAMPLE', log_stream: `s/${jwt}` } },
      message: 'x',
    });
    const e = run([], ev, { defaultPack: true });
    const text = JSON.stringify(e);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('eyJzdWIiOiIxMjM0NTY3ODkwIn0');
    expect(e.service.name).toBe('svc-[REDACTED:aws_access_key_id]');
    expect(e.faas?.execution).toBe('req-[REDACTED:jwt]');
    // Each of the six id-like fields is scanned.
    expect(e.transaction?.id).toBe('[REDACTED:jwt]');
    expect(e.trace?.id).toBe('t-[REDACTED:jwt]');
    expect(e.aws?.cloudwatch?.log_group).toBe('/aws/lambda/[REDACTED:aws_access_key_id]');
    expect(e.aws?.cloudwatch?.log_stream).toBe('s/[REDACTED:jwt]');
    expect(e.event.id).toBe(ev.event.id);
    expect(ev.service.name).toBe('svc-AKIAIOSFODNN7EXAMPLE');
  });

  it('remembers clean id values and key names per pipeline, never a secret one', () => {
    const pipeline = compileRules(undefined);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const cw = (log_stream: string) => ({ log_group: '/aws/lambda/orders', log_stream });
    const events = [
      makeEvent({ aws: { cloudwatch: cw('s/clean') }, attributes: { AKIAIOSFODNN7EXAMPLE: 1, ok: 1 } }),
      makeEvent({ aws: { cloudwatch: cw('s/clean') }, attributes: { ok: 2 } }),
      makeEvent({ aws: { cloudwatch: cw(`s/${jwt}`) }, attributes: { AKIAIOSFODNN7EXAMPLE: 3, ok: 3 } }),
      makeEvent({ aws: { cloudwatch: cw(`s/${jwt}`) }, transaction: { id: jwt } }),
    ];
    const out = events.map((ev) => {
      const o = pipeline.process(deepFreeze(ev));
      if (o.kind !== 'keep') throw new Error(o.kind);
      return o.event;
    });
    expect(out[1]).toBe(events[1]);
    for (const e of [out[0]!, out[2]!])
      expect(Object.keys(e.attributes)).toContain('[REDACTED:aws_access_key_id]');
    for (const e of [out[2]!, out[3]!]) expect(e.aws?.cloudwatch?.log_stream).toBe('s/[REDACTED:jwt]');
    expect(out[3]!.transaction?.id).toBe('[REDACTED:jwt]');
  });

  it('returns the input itself when nothing matched, with no redaction record', () => {
    const ev = makeEvent({ attributes: { a: 'plain' } });
    expect(run([{ name: 'mail', kind: 'redact', detectors: ['email'] }], ev)).toBe(ev);
  });

  it('author rules take precedence over the default pack on the same key', () => {
    const e = run(
      [{ name: 'tok', kind: 'redact', keys: ['session_token'], action: 'partial', keep_last: 2 }],
      makeEvent({ attributes: { session_token: 'abcdefghij', password: 'x' } }),
      { defaultPack: true },
    );
    expect(e.attributes).toEqual({ session_token: '********ij', password: '[REDACTED:secret]' });
    expect(e.redaction?.rules).toEqual(['tok', 'default/secret-keys']);
  });

  it('the default pack is on by default and off only explicitly', () => {
    const ev = makeEvent({ message: 'card 4111111111111111' });
    const on = compileRules(undefined).process(ev);
    const onFile = compileRules(validateRuleFile({})).process(ev);
    const off = compileRules(validateRuleFile({ default_pack: false })).process(ev);
    expect(on).toMatchObject({ kind: 'keep', event: { message: 'card [REDACTED:payment_card]' } });
    expect(onFile).toMatchObject({ kind: 'keep', event: { message: 'card [REDACTED:payment_card]' } });
    expect(off).toMatchObject({ kind: 'keep', event: { message: 'card 4111111111111111' } });
  });

  it('redacts card numbers stored as JSON numbers', () => {
    const e = compileRules(undefined).process(
      makeEvent({ attributes: { pan: 4111111111111111, count: 1234567890123 } }),
    );
    expect(e).toMatchObject({
      kind: 'keep',
      event: { attributes: { pan: '[REDACTED:payment_card]', count: 1234567890123 } },
    });
  });

  it('overlapping matches: the earlier rule wins and text is replaced once', () => {
    const e = run(
      [
        { name: 'mail', kind: 'redact', detectors: ['email'], mask_text: '<email>' },
        { name: 'domain', kind: 'redact', patterns: ['example\\.com'], mask_text: '<domain>' },
      ],
      makeEvent({ message: 'bob@example.com and example.com' }),
    );
    expect(e.message).toBe('<email> and <domain>');
    expect(e.redaction?.rules).toEqual(['mail', 'domain']);
  });

  it('keeps a __proto__ key from JSON as data, redacted, without touching prototypes', () => {
    const attributes = JSON.parse('{"__proto__": {"password": "hunter2", "ok": 1}}') as Record<
      string,
      unknown
    >;
    const out = compileRules(undefined).process(makeEvent({ attributes }));
    expect(out.kind).toBe('keep');
    if (out.kind !== 'keep') return;
    expect(JSON.stringify(out.event.attributes)).toBe(
      '{"__proto__":{"password":"[REDACTED:secret]","ok":1}}',
    );
    expect(Object.getPrototypeOf(out.event.attributes)).toBe(Object.prototype);
  });
});
