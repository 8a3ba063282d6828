import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { type BothBackends, bothBackends, expectIdsOnBoth } from '../test/factories/both-backends.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import type { LogEvent } from '../transform/schema.js';

/** Attribute keys with dots in each stored form; ids d01…d08 in time order. */
function dottedFixture(): LogEvent[] {
  const attributes: Record<string, unknown>[] = [
    { deep: { v: 'v1' } },
    { 'deep.v': 'v1' },
    { deep: { v: ['v2', 'v1'] } },
    { deep: [{ v: 'v1' }] },
    { 'a.b': { c: 'x' } },
    { a: { 'b.c': 'y' } },
    { a: { b: { c: 'z' } } },
    { other: 'v1' },
  ];
  return attributes.map((a, i) =>
    logEvent(`d0${i + 1}`, T0 + (i + 1) * 1000, 'orders', 'info', 'm', { attributes: a }),
  );
}

/** The ids (newest first) both backends return. */
const CASES: readonly (readonly [string, readonly string[]])[] = [
  ['attributes.deep.v:v1', ['d04', 'd03', 'd02', 'd01']],
  ['attributes.deep.v:v*', ['d04', 'd03', 'd02', 'd01']],
  ['-attributes.deep.v:v1', ['d08', 'd07', 'd06', 'd05']],
  ['-attributes.deep.v:v*', ['d08', 'd07', 'd06', 'd05']],
  ['attributes.a.b.c:x', ['d05']],
  ['attributes.a.b.c:y', ['d06']],
  ['attributes.a.b.c:*', ['d07', 'd06', 'd05']],
  ['attributes.a.b.c:x,y,z', ['d07', 'd06', 'd05']],
];

describe('attributes.* keys with dots on both backends (SQLite store and a real OpenSearch node)', () => {
  let both: BothBackends;

  beforeAll(async () => {
    both = await bothBackends(inject('opensearchUrl'), dottedFixture(), 'dotted');
  });
  afterAll(async () => {
    await both?.dispose();
  });

  it.each(CASES)('%s', async (q, expected) => {
    await expectIdsOnBoth(both, q, expected);
  });
});
