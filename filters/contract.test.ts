import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../test/factories/freeze.js';
import { RuleConfigError } from './errors.js';
import { validateRuleFile } from './parse.js';
import { compileRules } from './pipeline.js';
import type { RuleFileInput } from './rule-file.js';
import { makeEvent } from './sample-event.js';

type RuleInput = RuleFileInput['rules'] extends (infer R)[] | undefined ? R : never;

/** One representative rule of each kind; every kind must pass the same contract. */
const KINDS: [string, RuleInput][] = [
  [
    'redact',
    {
      name: 'r',
      kind: 'redact',
      fields: ['attributes.user.*'],
      keys: ['*token*'],
      detectors: ['email', 'payment_card'],
      patterns: ['ORD-[0-9]+'],
    },
  ],
  ['redact (hash)', { name: 'r', kind: 'redact', keys: ['email'], action: 'hash', hash_key: 'K' }],
  [
    'redact (when)',
    {
      name: 'r',
      kind: 'redact',
      when: { field: 'log.level', in: ['info', 'warn'] },
      fields: ['attributes.user'],
      detectors: ['email'],
    },
  ],
  [
    'drop',
    {
      name: 'r',
      kind: 'drop',
      drop_when: {
        or: [
          { field: 'attributes.path', matches: '^/health' },
          { field: 'attributes.ms', lt: 1 },
        ],
      },
    },
  ],
  ['sample', { name: 'r', kind: 'sample', keep_ratio: 0.5, when: { field: 'log.level', equals: 'info' } }],
  [
    'enrich',
    {
      name: 'r',
      kind: 'enrich',
      rename: { 'attributes.usr': 'attributes.user' },
      set: { 'attributes.env': 'prod' },
      from_log_group: {
        pattern: '^/aws/lambda/(?P<app>[a-z]+)-(?P<stage>[a-z]+)$',
        set: { 'attributes.stage': '{stage}', 'service.name': '{app}' },
      },
    },
  ],
  ['route', { name: 'r', kind: 'route', when: { field: 'attributes.audit', exists: true }, route: 'audit' }],
];

const SECRETS = { K: 'test-key' };

const EVENTS = [
  makeEvent(),
  makeEvent({
    message: 'mail bob@example.com card 4111111111111111 ORD-42',
    attributes: {
      user: { id: 1, name: 'b' },
      usr: 'x',
      path: '/health',
      ms: 0,
      audit: true,
      email: 'a@b.co',
      access_token: 't',
    },
  }),
  makeEvent({ log: { level: 'error', format: 'text' }, attributes: { nested: { deep: [{ k: 'v' }] } } }),
];

describe.each(KINDS)('rule kind %s (shared contract)', (_kind, rule) => {
  const compile = (r: unknown) =>
    compileRules(validateRuleFile({ default_pack: false, rules: [r] }), { secrets: SECRETS });

  it('compiles a valid rule', () => {
    expect(compile(rule).ruleNames).toEqual(['r']);
  });

  it('rejects an unknown key', () => {
    expect(() => compile({ ...rule, surprise: 1 })).toThrow(RuleConfigError);
  });

  it('rejects a badly formed name', () => {
    expect(() => compile({ ...rule, name: 'Has Spaces' })).toThrow(/rules\[0\]\.name/);
  });

  it('does not mutate its input', () => {
    const pipeline = compile(rule);
    for (const event of EVENTS) {
      const before = JSON.stringify(event);
      const frozen = deepFreeze(structuredClone(event));
      pipeline.process(frozen);
      expect(JSON.stringify(frozen)).toBe(before);
    }
  });

  it('tolerates missing fields (no throw, no fail)', () => {
    const bare = makeEvent({ attributes: {} });
    delete (bare as { transaction?: unknown }).transaction;
    const out = compile(rule).process(bare);
    expect(out.kind).not.toBe('fail');
  });

  it('is deterministic across calls and across compilations', () => {
    const a = compile(rule);
    const b = compile(rule);
    for (const event of EVENTS) {
      const first = a.process(event);
      expect(a.process(event)).toEqual(first);
      expect(b.process(event)).toEqual(first);
    }
  });
});
