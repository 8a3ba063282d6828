import { describe, expect, it } from 'vitest';
import { validateRuleFile } from '../parse.js';
import { compileRules } from '../pipeline.js';
import { makeEvent } from '../sample-event.js';

describe('route', () => {
  const p = compileRules(
    validateRuleFile({
      default_pack: false,
      rules: [
        {
          name: 'errors',
          kind: 'route',
          when: { field: 'log.level', in: ['error', 'fatal'] },
          route: 'errors',
        },
        {
          name: 'payments',
          kind: 'route',
          when: { field: 'service.name', equals: 'payments' },
          route: 'payments',
        },
      ],
    }),
  );

  it('sets event.route from the first matching rule', () => {
    expect(
      p.process(makeEvent({ log: { level: 'error', format: 'json' }, service: { name: 'payments' } })),
    ).toMatchObject({ event: { route: 'errors' } });
    expect(p.process(makeEvent({ service: { name: 'payments' } }))).toMatchObject({
      event: { route: 'payments' },
    });
  });

  it('leaves unmatched events without a route', () => {
    const out = p.process(makeEvent());
    expect(out.kind).toBe('keep');
    expect(out.kind === 'keep' && 'route' in out.event).toBe(false);
  });

  it('rejects a route that cannot be part of an index name', () => {
    expect(() => validateRuleFile({ rules: [{ name: 'r', kind: 'route', route: 'Audit Logs' }] })).toThrow(
      /lowercase/,
    );
  });
});
