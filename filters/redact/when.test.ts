import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../test/factories/freeze.js';
import { validateRuleFile } from '../parse.js';
import { compileRules } from '../pipeline.js';
import type { RuleFileInput } from '../rule-file.js';
import { makeEvent } from '../sample-event.js';

/** Runs `rules` (default pack off unless asked) on each event; returns each outcome's event (keep only). */
function run(rules: RuleFileInput['rules'], events: ReturnType<typeof makeEvent>[], defaultPack = false) {
  const pipeline = compileRules(validateRuleFile({ rules }), { defaultPack });
  return events.map((event) => {
    const out = pipeline.process(deepFreeze(event));
    if (out.kind !== 'keep') throw new Error(`expected keep, got ${out.kind}`);
    return out.event;
  });
}

const payments = (attributes: Record<string, unknown>, message = 'm') =>
  makeEvent({ service: { name: 'payments' }, message, attributes });
const search = (attributes: Record<string, unknown>, message = 'm') =>
  makeEvent({ service: { name: 'search' }, message, attributes });

describe('redact rules with `when`', () => {
  const onlyPayments = { field: 'service.name', equals: 'payments' };

  it('redacts fields, keys, detectors and patterns only on events the condition holds for', () => {
    const rule = {
      name: 'pay',
      kind: 'redact' as const,
      when: onlyPayments,
      fields: ['attributes.body'],
      keys: ['iban'],
      detectors: ['email' as const],
      patterns: ['ORD-[0-9]+'],
    };
    const attrs = { body: 'raw', nested: { iban: 'DE00' } };
    const [p, s] = run(
      [rule],
      [payments(attrs, 'bob@example.com ORD-42'), search(attrs, 'bob@example.com ORD-42')],
    );
    expect(p?.message).toBe('[REDACTED] [REDACTED]');
    expect(p?.attributes).toEqual({ body: '[REDACTED]', nested: { iban: '[REDACTED]' } });
    expect(p?.redaction).toEqual({ rules: ['pay'] });
    expect(s?.message).toBe('bob@example.com ORD-42');
    expect(s?.attributes).toEqual(attrs);
    expect(s?.redaction).toBeUndefined();
  });

  it('leaves what an inactive rule would claim to the later rules and the default pack', () => {
    const rules = [
      {
        name: 'first',
        kind: 'redact' as const,
        when: onlyPayments,
        keys: ['*token'],
        action: 'remove' as const,
      },
      {
        name: 'pan',
        kind: 'redact' as const,
        when: onlyPayments,
        fields: ['attributes.card'],
        action: 'remove' as const,
      },
      {
        name: 'second',
        kind: 'redact' as const,
        fields: ['attributes.card'],
        action: 'partial' as const,
        keep_last: 4,
      },
      {
        name: 'data',
        kind: 'redact' as const,
        when: onlyPayments,
        detectors: ['payment_card' as const, 'email' as const],
      },
    ];
    const attrs = {
      access_token: 'abc',
      card: '4111111111111111',
      n: 4111111111111111,
      note: 'to bob@example.com',
    };
    const [p, s] = run(rules, [payments(attrs), search(attrs)], true);
    // payments: `first` removes the token, `pan` the card field; `data` masks the integer card and the e-mail.
    expect(p?.attributes).toEqual({ n: '[REDACTED]', note: 'to [REDACTED]' });
    expect(p?.redaction).toEqual({ rules: ['first', 'pan', 'data'] });
    // search: `second` keeps the card's last four; the default pack masks the token (its key rule) and the
    // integer card (its card detector); nothing masks the e-mail.
    expect(s?.attributes).toEqual({
      access_token: '[REDACTED:secret]',
      card: '************1111',
      n: '[REDACTED:payment_card]',
      note: 'to bob@example.com',
    });
    expect(s?.redaction).toEqual({ rules: ['second', 'default/secret-keys', 'default/payment-card'] });
  });

  it('checks the condition on the event the other rules left (after enrich), before any redaction', () => {
    const rules = [
      { name: 'tag', kind: 'enrich' as const, set: { 'attributes.secret_zone': true } },
      {
        name: 'zone',
        kind: 'redact' as const,
        when: { field: 'attributes.secret_zone', equals: true },
        fields: ['attributes.body'],
      },
      // Removing the field the condition reads does not switch the rule off for this event.
      {
        name: 'drop-flag',
        kind: 'redact' as const,
        fields: ['attributes.secret_zone'],
        action: 'remove' as const,
      },
    ];
    const [e] = run(rules, [search({ body: 'raw' })]);
    expect(e?.attributes).toEqual({ body: '[REDACTED]' });
  });

  it('is deterministic across many events with the per-event state reused', () => {
    const rule = { name: 'pay', kind: 'redact' as const, when: onlyPayments, detectors: ['email' as const] };
    const events = Array.from({ length: 50 }, (_, i) =>
      (i % 3 === 0 ? payments : search)({}, `x${i}@example.com`),
    );
    const out = run([rule], events);
    expect(out.map((e) => e?.message)).toEqual(
      events.map((_, i) => (i % 3 === 0 ? '[REDACTED]' : `x${i}@example.com`)),
    );
  });

  it('rejects an invalid condition with the path of the problem', () => {
    expect(() =>
      validateRuleFile({
        rules: [
          { name: 'r', kind: 'redact', when: { field: 'service.name', nope: 1 }, detectors: ['email'] },
        ],
      } as never),
    ).toThrow(/rules\[0\]\.when/);
  });
});
