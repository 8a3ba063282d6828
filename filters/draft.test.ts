import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../test/factories/freeze.js';
import { EventDraft } from './draft.js';
import { parseRuleFile } from './parse.js';
import { compileRules } from './pipeline.js';
import { makeEvent } from './sample-event.js';

describe('EventDraft', () => {
  it('copies the root and each nested object once, on the first write under it', () => {
    const input = deepFreeze(makeEvent({ attributes: { user: { id: 'u-1' }, other: { a: 1 } } }));
    const d = new EventDraft();
    d.reset(input);
    expect(d.event).toBe(input);
    d.set(['attributes', 'user', 'name'], 'x');
    const first = d.event;
    const user = first.attributes?.['user'];
    d.set(['attributes', 'user', 'role'], 'y');
    expect(d.event.attributes?.['user']).toBe(user);
    // A delete replaces the holder by a copy without the key (no `delete`: objects stay fast).
    d.delete(['attributes', 'user', 'id']);
    expect(d.event).toBe(first);
    expect(d.owned?.has(d.event.attributes?.['user'] as object)).toBe(true);
    expect(d.event.attributes?.['other']).toBe(input.attributes?.['other']);
    expect(d.event.attributes?.['user']).toEqual({ name: 'x', role: 'y' });
    expect(d.writes).toBe(3);
    expect(input.attributes?.['user']).toEqual({ id: 'u-1' });
  });
});

describe('one draft across the steps of a pipeline', () => {
  const pipeline = compileRules(
    parseRuleFile(
      `
rules:
  - { name: stage, kind: enrich, set: { attributes.deploy.stage: prod } }
  - { name: app, kind: enrich, set: { attributes.deploy.app: shop }, rename: { attributes.user.tenant: attributes.tenant } }
  - { name: errors, kind: route, route: errors }
  - { name: ids, kind: redact, fields: [attributes.user.id], action: partial, keep_last: 2 }
  - { name: tenants, kind: redact, fields: [attributes.tenant], action: mask }
`,
      'rules.yaml',
    ),
  );

  it('gives every step the previous steps’ writes, redacts in the same copies, and never mutates the input', () => {
    const input = deepFreeze(
      makeEvent({
        attributes: { user: { id: 'u-12345', tenant: 'acme' }, keep: { x: 1 }, note: 'password=hunter2' },
      }),
    );
    const before = structuredClone(input);
    const { outcome, fired } = pipeline.explain(input);
    expect(input).toEqual(before);
    expect(fired).toEqual(['stage', 'app', 'errors', 'ids', 'tenants', 'default/credential-assignment']);
    if (outcome.kind !== 'keep') throw new Error(outcome.kind);
    expect(outcome.event.route).toBe('errors');
    expect(outcome.event.attributes).toEqual({
      user: { id: '*****45' },
      keep: { x: 1 },
      note: 'password=[REDACTED:credential_assignment]',
      deploy: { stage: 'prod', app: 'shop' },
      tenant: '[REDACTED]',
    });
    // Objects no rule wrote are shared with the input, not copied.
    expect(outcome.event.attributes?.['keep']).toBe(input.attributes?.['keep']);
    expect(outcome.event.redaction?.rules).toEqual(['ids', 'tenants', 'default/credential-assignment']);
  });

  it('keeps consecutive events apart (the draft is reused)', () => {
    const a = pipeline.process(makeEvent({ attributes: { user: { id: 'u-11111' } } }));
    const b = pipeline.process(makeEvent({ attributes: { user: { id: 'u-22222' } } }));
    if (a.kind !== 'keep' || b.kind !== 'keep') throw new Error('expected keep');
    expect(a.event.attributes?.['user']).toEqual({ id: '*****11' });
    expect(b.event.attributes?.['user']).toEqual({ id: '*****22' });
    expect(a.event).not.toBe(b.event);
  });
});

describe('EventDraft.delete', () => {
  it('keeps the other keys in order, a __proto__ key as an own property, and ignores missing paths', () => {
    const user = JSON.parse('{"a":1,"__proto__":{"x":1},"b":2}') as Record<string, unknown>;
    const input = deepFreeze(makeEvent({ attributes: { user } }));
    const d = new EventDraft();
    d.reset(input);
    d.delete(['attributes', 'user', 'a']);
    const out = d.event.attributes?.['user'] as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    d.delete(['attributes', 'missing', 'x']);
    d.delete(['attributes', 'user', 'nope']);
    expect(d.event.attributes?.['user']).toBe(out);
    expect(Object.keys(user)).toEqual(['a', '__proto__', 'b']);
  });
});
