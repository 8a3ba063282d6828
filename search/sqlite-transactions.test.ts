import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { createSqliteSearch } from './sqlite.js';

/**
 * The service map's walk for the newest transactions of a range, on a store where few events carry
 * a transaction id: three transactions at the start of the range, then 6,000 events without one.
 */
describe('the service map of the embedded store', () => {
  let store: SqliteStore;
  const HOUR = 3_600_000;
  const range = { from: T0, to: T0 + HOUR, maxTransactions: 100 };

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    const tx = ['tx-1', 'tx-2', 'tx-3'].flatMap((id, i) => [
      logEvent(`${id}-a`, T0 + i * 10, 'api-gateway', 'info', 'in', { transaction: { id } }),
      logEvent(`${id}-b`, T0 + i * 10 + 1, 'orders', 'info', 'order', { transaction: { id } }),
    ]);
    const plain = Array.from({ length: 6000 }, (_, i) =>
      logEvent(`p${i}`, T0 + 1000 + i * 100, 'cron', 'info', `tick ${i}`),
    );
    await store.write(tx);
    for (let i = 0; i < plain.length; i += 1000) await store.write(plain.slice(i, i + 1000));
  });
  afterAll(() => store.close());

  it('finds the transactions behind many events without one, within its budget', async () => {
    const { rows, sampled } = await createSqliteSearch(store.db).transactionServices(range);
    expect(sampled).toBe(false);
    expect(new Set(rows.map((r) => r.transactionId))).toEqual(new Set(['tx-1', 'tx-2', 'tx-3']));
    expect(rows.filter((r) => r.transactionId === 'tx-2').map((r) => r.service)).toEqual(
      expect.arrayContaining(['api-gateway', 'orders']),
    );
  });

  it('stops walking the range at its budget, and says the map is of the newest transactions only', async () => {
    const bounded = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
    const { rows, sampled } = await bounded.transactionServices(range);
    // With no time to walk, the walk stops at its first look at the clock, among the newest
    // events (none of which carries a transaction id), instead of reading the range to its start.
    expect(sampled).toBe(true);
    expect(rows).toEqual([]);
  });
});
