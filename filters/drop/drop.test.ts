import { describe, expect, it } from 'vitest';
import type { Condition } from '../condition/config.js';
import { validateRuleFile } from '../parse.js';
import { compileRules } from '../pipeline.js';
import { makeEvent } from '../sample-event.js';

const dropWhen = (c: Condition) =>
  compileRules(validateRuleFile({ default_pack: false, rules: [{ name: 'd', kind: 'drop', drop_when: c }] }));

const ev = makeEvent({
  message: 'GET /health 200',
  attributes: { status: 200, ms: 12.5, tags: 'a', flag: false },
});

describe('drop', () => {
  it.each<[string, Condition, boolean]>([
    ['equals (same type)', { field: 'attributes.status', equals: 200 }, true],
    ['equals (different type)', { field: 'attributes.status', equals: '200' }, false],
    ['equals false', { field: 'attributes.flag', equals: false }, true],
    ['in', { field: 'log.level', in: ['debug', 'info'] }, true],
    ['matches', { field: 'message', matches: '^GET /health' }, true],
    ['matches (case-insensitive)', { field: 'message', matches: '(?i)get /HEALTH' }, true],
    ['matches a non-string', { field: 'attributes.status', matches: '200' }, false],
    ['exists true', { field: 'attributes.ms', exists: true }, true],
    ['exists false on a missing field', { field: 'attributes.nope', exists: false }, true],
    ['gt', { field: 'attributes.ms', gt: 10 }, true],
    ['gte', { field: 'attributes.ms', gte: 12.5 }, true],
    ['lt', { field: 'attributes.ms', lt: 12.5 }, false],
    ['lte on a missing field', { field: 'attributes.nope', lte: 100 }, false],
    [
      'and',
      {
        and: [
          { field: 'attributes.status', equals: 200 },
          { field: 'message', matches: 'health' },
        ],
      },
      true,
    ],
    [
      'or',
      {
        or: [
          { field: 'attributes.status', equals: 500 },
          { field: 'attributes.ms', lt: 1 },
        ],
      },
      false,
    ],
    ['not', { not: { field: 'attributes.status', equals: 500 } }, true],
    ['a path through a non-object', { field: 'attributes.tags.length', exists: true }, false],
  ])('%s', (_name, condition, drops) => {
    expect(dropWhen(condition).process(ev).kind).toBe(drops ? 'drop' : 'keep');
  });

  it('cannot read inherited properties such as constructor through a path', () => {
    expect(() => dropWhen({ field: 'attributes.constructor', exists: true })).toThrow(/forbidden segment/);
    expect(dropWhen({ field: 'attributes.toString', exists: true }).process(ev).kind).toBe('keep');
  });

  it('rejects a field no event can have, suggesting the one meant', () => {
    expect(() => dropWhen({ field: 'servce.name', equals: 'x' })).toThrow(
      /not 'servce.name' \(did you mean service.name\?\)/,
    );
    expect(() => dropWhen({ field: 'message.length', exists: true })).toThrow(/not 'message.length'/);
    // Anything under attributes is possible; schema fields are known.
    expect(() => dropWhen({ field: 'attributes.any.thing', exists: true })).not.toThrow();
    expect(() => dropWhen({ field: 'aws.cloudwatch.log_group', exists: true })).not.toThrow();
  });

  it('rejects a condition with two operators or none', () => {
    expect(() => dropWhen({ field: 'a', equals: 1, gt: 2 })).toThrow(/exactly one operator/);
    expect(() => dropWhen({ field: 'a' })).toThrow(/found none/);
  });
});
