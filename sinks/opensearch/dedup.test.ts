import { describe, expect, it } from 'vitest';
import { backingIndices, earlierThan, foundInMget, idsInHits, rolledStreams } from './dedup.js';

// Answers as OpenSearch 2.19 gives them with the filter_paths the sink asks for.
const streams = {
  data_streams: [
    { name: 'sluice-logs-orders', indices: [{ index_name: '.ds-sluice-logs-orders-000001' }] },
    {
      name: 'sluice-logs-billing',
      indices: [
        { index_name: '.ds-sluice-logs-billing-000001' },
        { index_name: '.ds-sluice-logs-billing-000002' },
      ],
    },
    {
      name: 'sluice-logs-auth',
      indices: [
        { index_name: '.ds-sluice-logs-auth-000004' },
        { index_name: '.ds-sluice-logs-auth-000005' },
        { index_name: '.ds-sluice-logs-auth-000006' },
      ],
    },
    {
      name: 'sluice-logs-other',
      indices: [
        { index_name: '.ds-sluice-logs-other-000001' },
        { index_name: '.ds-sluice-logs-other-000002' },
      ],
    },
  ],
};

describe('backingIndices / earlierThan', () => {
  const indices = backingIndices(streams).get('sluice-logs-auth') ?? [];

  it("lists each stream's backing indices, the write index last", () => {
    expect([...backingIndices(streams).keys()]).toEqual([
      'sluice-logs-orders',
      'sluice-logs-billing',
      'sluice-logs-auth',
      'sluice-logs-other',
    ]);
    expect(indices).toEqual([
      '.ds-sluice-logs-auth-000004',
      '.ds-sluice-logs-auth-000005',
      '.ds-sluice-logs-auth-000006',
    ]);
  });

  it('names what lies before a given backing index, and never searches it or later ones', () => {
    // A document created in 000005 while 000006 already exists (a rollover right after the write).
    expect(earlierThan(indices, '.ds-sluice-logs-auth-000005')).toEqual({
      previous: '.ds-sluice-logs-auth-000004',
      older: false,
      after: ['.ds-sluice-logs-auth-000005', '.ds-sluice-logs-auth-000006'],
    });
    expect(earlierThan(indices, '.ds-sluice-logs-auth-000004')).toBeUndefined(); // the first one
    expect(earlierThan(indices, '.ds-other')).toBeUndefined(); // not one of the stream's
    expect(earlierThan([])).toBeUndefined();
  });
});

describe('rolledStreams', () => {
  it('names the previous backing index of each target stream that rolled over', () => {
    const out = rolledStreams(
      streams,
      new Set(['sluice-logs-orders', 'sluice-logs-billing', 'sluice-logs-auth']),
    );
    expect([...out]).toEqual([
      [
        'sluice-logs-billing',
        {
          previous: '.ds-sluice-logs-billing-000001',
          older: false,
          after: ['.ds-sluice-logs-billing-000002'],
        },
      ],
      [
        'sluice-logs-auth',
        { previous: '.ds-sluice-logs-auth-000005', older: true, after: ['.ds-sluice-logs-auth-000006'] },
      ],
    ]);
  });

  it.each([[{}], [null], [{ data_streams: 'x' }], [{ data_streams: [{ name: 'sluice-logs-billing' }] }]])(
    'finds nothing in %j',
    (body) => {
      expect(rolledStreams(body, new Set(['sluice-logs-billing'])).size).toBe(0);
    },
  );
});

describe('foundInMget and idsInHits', () => {
  it('read the ids that exist', () => {
    expect(
      foundInMget({
        docs: [
          { _id: 'a', found: true },
          { _id: 'b', found: false },
          { _id: 'c', error: { type: 'x' } },
        ],
      }),
    ).toEqual(['a']);
    expect(foundInMget({})).toEqual([]);
    expect(idsInHits({ hits: { hits: [{ _id: 'x' }, { _id: 'y' }] } })).toEqual(['x', 'y']);
    expect(idsInHits({})).toEqual([]); // filter_path drops an empty hits list
  });
});
