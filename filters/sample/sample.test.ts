import { describe, expect, it } from 'vitest';
import { validateRuleFile } from '../parse.js';
import { compileRules } from '../pipeline.js';
import { makeEvent } from '../sample-event.js';
import { unitHash } from './sample.js';

const sampler = (keep_ratio: number, extra: Record<string, unknown> = {}) =>
  compileRules(
    validateRuleFile({ default_pack: false, rules: [{ name: 's', kind: 'sample', keep_ratio, ...extra }] }),
  );

describe('sample', () => {
  it('keeps or drops a whole transaction, identically in separately compiled pipelines', () => {
    const a = sampler(0.5);
    const b = sampler(0.5);
    for (let t = 0; t < 200; t++) {
      const decisions = [0, 1, 2].map(
        (i) =>
          a.process(
            makeEvent({
              transaction: { id: `tx-${t}` },
              event: { id: `e-${t}-${i}`, ingested: '2024-05-01T12:00:00.000Z' },
            }),
          ).kind,
      );
      expect(new Set(decisions).size).toBe(1);
      expect(b.process(makeEvent({ transaction: { id: `tx-${t}` } })).kind).toBe(decisions[0]);
    }
  });

  it('keeps roughly keep_ratio of the keys', () => {
    const p = sampler(0.2);
    let kept = 0;
    for (let t = 0; t < 5000; t++)
      if (p.process(makeEvent({ transaction: { id: `tx-${t}` } })).kind === 'keep') kept++;
    expect(kept / 5000).toBeGreaterThan(0.17);
    expect(kept / 5000).toBeLessThan(0.23);
  });

  it('always keeps warn, error and fatal', () => {
    const p = sampler(0);
    for (const level of ['warn', 'error', 'fatal'] as const)
      expect(p.process(makeEvent({ log: { level, format: 'json' } })).kind).toBe('keep');
    expect(p.process(makeEvent()).kind).toBe('drop');
  });

  it('falls back to event.id when the key is missing, and samples only events matching when', () => {
    const p = sampler(0, { key: 'attributes.user', when: { field: 'service.name', equals: 'checkout' } });
    expect(p.process(makeEvent())).toEqual({ kind: 'drop', reason: 's' });
    expect(p.process(makeEvent({ service: { name: 'other' } })).kind).toBe('keep');
  });

  it('hashes to [0, 1)', () => {
    for (const s of ['', 'a', 'tx-1', 'x'.repeat(1000)]) {
      expect(unitHash(s)).toBeGreaterThanOrEqual(0);
      expect(unitHash(s)).toBeLessThan(1);
    }
  });
});
