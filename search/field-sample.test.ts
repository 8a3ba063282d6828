import { describe, expect, it } from 'vitest';
import { searchFixture } from '../test/factories/search-events.js';
import { flattenEvent, summarizeFields } from './field-sample.js';

describe('field list over a sample', () => {
  it('flattens an event to dotted leaf paths with text values', () => {
    const f = flattenEvent({ a: { b: 1, c: { d: true } }, s: 'x', n: null, arr: [1, 'two'], empty: {} });
    expect([...f]).toEqual([
      ['a.b', '1'],
      ['a.c.d', 'true'],
      ['s', 'x'],
      ['n', 'null'],
      ['arr', '[1,"two"]'],
    ]);
  });

  it('counts top values of every field present, attribute fields included', () => {
    const fields = summarizeFields(searchFixture(), 2);
    const byName = new Map(fields.map((f) => [f.field, f]));
    expect(byName.get('service.name')).toEqual({
      field: 'service.name',
      count: 10,
      distinct: 4,
      top: [
        { value: 'api-gateway', count: 3 },
        { value: 'orders', count: 3 },
      ],
    });
    expect(byName.get('attributes.order_id')).toEqual({
      field: 'attributes.order_id',
      count: 3,
      distinct: 2,
      top: [
        { value: 'ord-1', count: 2 },
        { value: 'ord-2', count: 1 },
      ],
    });
    expect(byName.get('attributes.vip')?.top).toEqual([
      { value: 'false', count: 1 },
      { value: 'true', count: 1 },
    ]);
    expect(fields.map((f) => f.field)).toEqual([...fields.map((f) => f.field)].sort());
  });

  it('stops counting new values of a field past 1000 distinct', () => {
    const events = Array.from({ length: 1500 }, (_, i) => ({ id: `v${i}`, same: 'x' }));
    const byName = new Map(summarizeFields(events).map((f) => [f.field, f]));
    expect(byName.get('id')?.count).toBe(1500);
    expect(byName.get('id')?.distinct).toBe(1000);
    expect(byName.get('same')?.top).toEqual([{ value: 'x', count: 1500 }]);
  });
});
