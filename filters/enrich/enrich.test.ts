import { describe, expect, it } from 'vitest';
import { validateRuleFile } from '../parse.js';
import { compileRules } from '../pipeline.js';
import { makeEvent } from '../sample-event.js';

const enrich = (rule: Record<string, unknown>) =>
  compileRules(validateRuleFile({ default_pack: false, rules: [{ name: 'e', kind: 'enrich', ...rule }] }));

const kept = (out: ReturnType<ReturnType<typeof enrich>['process']>) => {
  if (out.kind !== 'keep') throw new Error(out.kind);
  return out.event;
};

describe('enrich', () => {
  it('sets static fields', () => {
    const e = kept(
      enrich({
        set: { 'attributes.env': 'prod', 'attributes.team.name': 'pay', 'cloud.region': 'eu-west-1' },
      }).process(makeEvent()),
    );
    expect(e.attributes).toEqual({ env: 'prod', team: { name: 'pay' } });
    expect(e.cloud?.region).toBe('eu-west-1');
  });

  it('derives fields from the log group with named captures and templates', () => {
    const p = enrich({
      from_log_group: {
        pattern: '^/aws/lambda/(?P<app>[a-z]+)-(?P<stage>[a-z]+)$',
        set: {
          'attributes.stage': '{stage}',
          'service.name': '{app}',
          'attributes.origin': '{log_group}#{stage}',
        },
      },
    });
    const e = kept(p.process(makeEvent()));
    expect(e.attributes).toEqual({ stage: 'prod', origin: '/aws/lambda/checkout-prod#prod' });
    expect(e.service.name).toBe('checkout');
    const other = makeEvent({ aws: { cloudwatch: { log_group: '/ecs/thing', log_stream: 's' } } });
    expect(kept(p.process(other))).toBe(other);
  });

  it('rejects a template naming an unknown capture', () => {
    expect(() =>
      enrich({ from_log_group: { pattern: '^(?P<app>.+)$', set: { 'attributes.x': '{nope}' } } }),
    ).toThrow(/\{nope\}/);
  });

  it('renames / moves fields and tolerates a missing source', () => {
    const p = enrich({
      rename: {
        'attributes.usr': 'attributes.user.name',
        'attributes.rid': 'transaction.id',
        'attributes.none': 'attributes.x',
      },
    });
    const e = kept(p.process(makeEvent({ attributes: { usr: 'bob', rid: 42 } })));
    expect(e.attributes).toEqual({ user: { name: 'bob' } });
    expect(e.transaction?.id).toBe('42');
  });

  it('only writes attributes or the listed top-level string fields', () => {
    expect(() => enrich({ set: { 'event.id': 'x' } })).toThrow(/attributes/);
    expect(() => enrich({ set: { 'service.name': 3 } })).toThrow(/a string for service.name/);
    expect(() => enrich({ rename: { message: 'attributes.m' } })).toThrow(/under attributes/);
  });

  it('applies only when `when` matches', () => {
    const p = enrich({ when: { field: 'log.level', equals: 'error' }, set: { 'attributes.page': true } });
    expect(kept(p.process(makeEvent())).attributes).toEqual({});
    expect(kept(p.process(makeEvent({ log: { level: 'error', format: 'json' } }))).attributes).toEqual({
      page: true,
    });
  });
});
