import { describe, expect, it } from 'vitest';
import { BENCH_RULES } from '../bench/filters-data.js';
import { parseRuleFile } from './parse.js';
import { compileRules } from './pipeline.js';
import { makeEvent } from './sample-event.js';

const RULES = `
rules:
  - name: drop-health
    kind: drop
    drop_when:
      or:
        - { field: attributes.path, equals: /health }
        - and:
            - { field: log.level, in: [debug, trace] }
            - not: { field: attributes.keep, exists: true }
  - name: tag
    kind: enrich
    set: { attributes.leak: 'password=hunter2' }
  - name: audit
    kind: route
    when: { field: attributes.audit, equals: true }
    route: audit
`;

describe('compileRules', () => {
  const pipeline = compileRules(parseRuleFile(RULES, 'rules.yaml'));

  it('drops with the rule name as the reason', () => {
    const p = compileRules(parseRuleFile(RULES, 'rules.yaml'));
    expect(p.process(makeEvent({ attributes: { path: '/health' } }))).toEqual({
      kind: 'drop',
      reason: 'drop-health',
    });
    expect(p.process(makeEvent({ log: { level: 'debug', format: 'json' } }))).toEqual({
      kind: 'drop',
      reason: 'drop-health',
    });
    expect(
      p.process(makeEvent({ log: { level: 'debug', format: 'json' }, attributes: { keep: 1 } })).kind,
    ).toBe('keep');
  });

  it('runs redaction last, so what enrich added is redacted too', () => {
    const out = pipeline.process(makeEvent());
    expect(out).toMatchObject({
      kind: 'keep',
      event: { attributes: { leak: 'password=[REDACTED:credential_assignment]' } },
    });
  });

  it('lists rules in execution order: file order, then redaction, then the default pack', () => {
    expect(pipeline.ruleNames.slice(0, 3)).toEqual(['drop-health', 'tag', 'audit']);
    expect(pipeline.ruleNames[3]).toBe('default/secret-keys');
  });

  it('routes by condition; the first matching route wins', () => {
    const p = compileRules(
      parseRuleFile(
        'default_pack: false\nrules:\n  - { name: a, kind: route, when: { field: attributes.x, gte: 5 }, route: big }\n  - { name: b, kind: route, route: rest }\n',
        'r.yaml',
      ),
    );
    expect(p.process(makeEvent({ attributes: { x: 9 } }))).toMatchObject({ event: { route: 'big' } });
    expect(p.process(makeEvent({ attributes: { x: 1 } }))).toMatchObject({ event: { route: 'rest' } });
  });

  it('fails closed when a rule throws: fail outcome naming the rule, never the event', () => {
    const hostile = makeEvent({ message: 'card 4111111111111111' });
    // A getter that throws stands in for any bug inside a rule.
    Object.defineProperty(hostile.attributes, 'boom', {
      enumerable: true,
      get() {
        throw new Error('secret content 4111111111111111');
      },
    });
    const p = compileRules(undefined);
    const out = p.process(hostile);
    expect(out.kind).toBe('fail');
    if (out.kind !== 'fail') return;
    expect(out.error.code).toBe('FILTERS_RULE_FAILED');
    expect(out.error.message).toContain("'redaction'");
    expect(out.error.message).not.toContain('4111');
  });

  it('never throws on events with missing optional fields', () => {
    const bare = makeEvent();
    delete (bare as { transaction?: unknown }).transaction;
    expect(pipeline.process(bare).kind).toBe('keep');
  });

  it('compiles the benchmark rules (10 author rules beside the default pack)', () => {
    const p = compileRules(parseRuleFile(BENCH_RULES, 'bench-rules.yaml'), { secrets: { BENCH_KEY: 'k' } });
    expect(p.ruleNames.filter((n) => !n.startsWith('default/'))).toHaveLength(10);
  });
});
