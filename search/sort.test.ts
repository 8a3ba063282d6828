import { describe, expect, it } from 'vitest';
import { decodeSortCursor, encodeSortCursor, parseSort, printSort, TIME_DESC } from './sort.js';

describe('parseSort', () => {
  it.each([
    [null, TIME_DESC],
    ['', TIME_DESC],
    ['desc', TIME_DESC],
    ['asc', { field: '@timestamp', order: 'asc' }],
    ['service:asc', { field: 'service.name', order: 'asc' }],
    ['log.level:desc', { field: 'log.level', order: 'desc' }],
    ['duration:desc', { field: 'lambda.report.duration_ms', order: 'desc' }],
  ])('reads %j', (raw, want) => {
    expect(parseSort(raw)).toEqual(want);
  });

  it.each(['message:asc', 'service.name', 'service.name:up', 'attributes.x:asc', 'nope:asc'])(
    'refuses %j, naming the sortable fields',
    (raw) => {
      expect(() => parseSort(raw)).toThrow(
        /sort must be desc, asc or <field>:<asc\|desc> with a field of @timestamp, service.name/,
      );
    },
  );

  it('prints what it reads', () => {
    for (const raw of ['desc', 'asc', 'service.name:asc', 'lambda.report.duration_ms:desc'])
      expect(printSort(parseSort(raw))).toBe(raw);
  });
});

describe('sort cursors', () => {
  const sort = { field: 'service.name', order: 'asc' } as const;
  it('round-trips a key, window included', () => {
    const key = {
      sort,
      v: 'orders',
      t: 1_700_000_000_000,
      tie: 42,
      window: [9, 1_700_000_000_000, 3, 1] as const,
    };
    expect(decodeSortCursor(encodeSortCursor(key), sort)).toEqual(key);
    const missing = { sort, v: null, t: 1, tie: 'e1' };
    expect(decodeSortCursor(encodeSortCursor(missing), sort)).toEqual(missing);
  });

  it('refuses a cursor of another sort, a time cursor and a forged one', () => {
    const c = encodeSortCursor({ sort, v: 'a', t: 1, tie: 1 });
    expect(() => decodeSortCursor(c, { field: 'service.name', order: 'desc' })).toThrow(
      /it is for sort=service.name:asc, not sort=service.name:desc/,
    );
    const time = Buffer.from(JSON.stringify(['desc', 1, 1])).toString('base64url');
    expect(() => decodeSortCursor(time, sort)).toThrow(/bad page cursor/);
    const forged = Buffer.from(JSON.stringify(['service.name:asc', 1, 1, { x: 1 }])).toString('base64url');
    expect(() => decodeSortCursor(forged, sort)).toThrow(/bad page cursor/);
    expect(() => decodeSortCursor('%%%', sort)).toThrow(/bad page cursor/);
  });
});
