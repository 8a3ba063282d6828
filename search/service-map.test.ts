import { describe, expect, it } from 'vitest';
import { buildServiceMap, type TransactionServiceRow } from './service-map.js';

const row = (
  transactionId: string,
  service: string,
  first: number,
  last: number,
  errors = 0,
): TransactionServiceRow => ({ transactionId, service, first, last, events: 2, errors });

describe('buildServiceMap', () => {
  it('links each service to the latest-joined one still active when it joined', () => {
    // gateway 0..100 calls orders 10..60, which calls payments 20..30 and then inventory 40..50;
    // notifications joins at 70, after orders' last line: the gateway is the one still active.
    const map = buildServiceMap(
      [
        row('t1', 'gateway', 0, 100),
        row('t1', 'orders', 10, 60),
        row('t1', 'payments', 20, 30),
        row('t1', 'inventory', 40, 50, 1),
        row('t1', 'notifications', 70, 80),
      ],
      { from: 0, to: 1000, sampled: false },
    );
    expect(map.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
      'gateway>notifications',
      'gateway>orders',
      'orders>inventory',
      'orders>payments',
    ]);
    expect(map.edges.find((e) => e.to === 'inventory')).toMatchObject({ calls: 1, errors: 1, errorRate: 1 });
    expect(map.nodes[0]).toMatchObject({ service: 'gateway', entry: 1, transactions: 1 });
  });

  it('counts calls and error rates over transactions, and falls back to order of appearance', () => {
    const map = buildServiceMap(
      [
        row('t1', 'a', 0, 5),
        row('t1', 'b', 10, 20, 2),
        row('t2', 'a', 100, 105),
        row('t2', 'b', 110, 120),
        row('t3', 'b', 200, 210),
        row('t4', 'a', 300, 300),
        row('t4', 'b', 300, 300),
      ],
      { from: 0, to: 1000, sampled: true },
    );
    expect(map).toMatchObject({ transactions: 4, sampled: true, from: 0, to: 1000 });
    // a ended before b started each time: the fallback is the service that joined just before
    expect(map.edges).toEqual([{ from: 'a', to: 'b', calls: 3, errors: 1, errorRate: 1 / 3 }]);
    expect(map.nodes).toEqual([
      { service: 'a', transactions: 3, errorTransactions: 0, errorRate: 0, entry: 3 },
      { service: 'b', transactions: 4, errorTransactions: 1, errorRate: 0.25, entry: 1 },
    ]);
  });

  it('counts a linked timeout row as an error of its service and edge, once per transaction', () => {
    // inventory's own lines carry no error; its `Task timed out` line (linked through the request
    // id) arrives as a second row for the same transaction and service.
    const map = buildServiceMap(
      [
        row('t1', 'orders', 0, 1000),
        row('t1', 'inventory', 10, 20),
        {
          transactionId: 't1',
          service: 'inventory',
          first: 3010,
          last: 3010,
          events: 1,
          errors: 1,
          linked: true,
        },
        row('t1', 'batch', 500, 600),
        row('t2', 'orders', 200, 300),
        row('t2', 'inventory', 210, 220),
      ],
      { from: 0, to: 5000, sampled: false },
    );
    // the timeout line does not stretch inventory's part: orders (active until 1000) is the
    // caller of the batch that joined at 500, not inventory
    expect(map.edges).toEqual([
      { from: 'orders', to: 'inventory', calls: 2, errors: 1, errorRate: 0.5 },
      { from: 'orders', to: 'batch', calls: 1, errors: 0, errorRate: 0 },
    ]);
    expect(map.nodes.find((n) => n.service === 'inventory')).toEqual({
      service: 'inventory',
      transactions: 2,
      errorTransactions: 1,
      errorRate: 0.5,
      entry: 0,
    });
  });

  it('is empty without transactions', () => {
    expect(buildServiceMap([], { from: 1, to: 2, sampled: false })).toEqual({
      from: 1,
      to: 2,
      transactions: 0,
      sampled: false,
      nodes: [],
      edges: [],
    });
  });
});
