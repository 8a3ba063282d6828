import { describe, expect, it } from 'vitest';
import { foundInMget, idsInHits, rolledStreams } from './dedup.js';

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

describe('rolledStreams', () => {
  it('names the previous backing index of each target stream that rolled over', () => {
    const out = rolledStreams(
      streams,
      new Set(['sluice-logs-orders', 'sluice-logs-billing', 'sluice-logs-auth']),
    );
    expect([...out]).toEqual([
      ['sluice-logs-billing', { previous: '.ds-sluice-logs-billing-000001', older: false }],
      ['sluice-logs-auth', { previous: '.ds-sluice-logs-auth-000005', older: true }],
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
