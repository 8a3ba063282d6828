import { describe, expect, it } from 'vitest';
import { LOG_LEVELS } from '../transform/schema.js';
import { schemaFields } from '../transform/schema-docs.js';
import {
  editDistance,
  FIELD_ALIASES,
  fieldType,
  LEVELS,
  resolveField,
  SCHEMA_FIELDS,
  suggestField,
} from './fields.js';

describe('query fields', () => {
  it('names every leaf of the event schema, and nothing else', () => {
    const leaves = schemaFields()
      .filter((f) => !f.type.startsWith('object'))
      .map((f) => f.path);
    expect(Object.keys(SCHEMA_FIELDS).sort()).toEqual(leaves.sort());
    expect(LEVELS).toEqual([...LOG_LEVELS]);
    for (const target of Object.values(FIELD_ALIASES)) expect(fieldType(target)).toBeDefined();
  });

  it.each([
    ['service.nam', 'service.name'],
    ['servce', 'service'],
    ['trace.ids', 'trace.id'],
    ['erorr.type', 'error.type'],
    ['http.status', 'attributes.http.status'],
    ['x', 'attributes.x'],
  ])('suggests %s → %s', (name, suggestion) => {
    expect(resolveField(name)).toEqual({ problem: 'unknown', suggestion });
    expect(suggestField(name)).toBe(suggestion);
  });

  it('resolves aliases and attributes, refuses malformed names', () => {
    expect(resolveField('level')).toEqual({ path: 'log.level' });
    expect(resolveField('attributes.a-b.c_d')).toEqual({ path: 'attributes.a-b.c_d' });
    expect(resolveField('attributes..x')).toEqual({ problem: 'invalid' });
    expect(resolveField('attributes.__proto__')).toEqual({ problem: 'invalid' });
  });

  it('computes edit distances, stopping at the limit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('a', 'abcdef', 2)).toBe(2);
  });
});
