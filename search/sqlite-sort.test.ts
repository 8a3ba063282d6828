import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { parseQuery } from './query.js';
import { SQLITE_NUMBER_SORT_WINDOW } from './sort.js';
import { createSqliteSearch } from './sqlite.js';

describe('SQLite sort by a field', () => {
  it('reads each service and level page through its (column, ts) index, never a full sort', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.write([logEvent('a', T0, 'orders', 'info', 'x')]);
    const plans: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    // Record the plan of every statement the sorted page runs.
    store.db.prepare = ((sql: string) => {
      if (/ORDER BY ts DESC, seq DESC/.test(sql) && /(service|level) = \?/.test(sql))
        plans.push(
          (prepare(`EXPLAIN QUERY PLAN ${sql}`).all('orders', T0 - 1, T0 + 1) as { detail: string }[])
            .map((r) => r.detail)
            .join(' | '),
        );
      return prepare(sql);
    }) as typeof store.db.prepare;
    const search = createSqliteSearch(store.db);
    for (const field of ['service.name', 'log.level'])
      await search.page({
        query: parseQuery(''),
        from: T0 - 1,
        to: T0 + 1,
        limit: 5,
        sortBy: { field, order: 'asc' },
      });
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan).toMatch(
        /USING (COVERING )?INDEX events_(service|level)_ts \((service|level)=\? AND ts>\? AND ts<\?\)/,
      );
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    store.close();
  });

  it('stops a group page at the page budget with a cursor that goes on, losing and repeating nothing', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const services = ['a', 'b', 'c'];
    // 900 events; the query matches every 7th, so a page reads many rows per match
    await store.write(
      Array.from({ length: 900 }, (_, i) =>
        logEvent(`k${i}`, T0 + i, services[i % 3]!, 'info', i % 7 === 0 ? 'needle' : 'hay'),
      ),
    );
    const search = createSqliteSearch(store.db, { budgets: { countMs: 0, pageMs: 0 } });
    const sortBy = { field: 'service.name', order: 'desc' } as const;
    const req = { query: parseQuery('needle'), from: T0, to: T0 + 900, limit: 20, sortBy };
    const seen: string[] = [];
    let next: string | undefined;
    let short = 0;
    do {
      const page = await search.page({ ...req, ...(next ? { after: next } : {}) });
      seen.push(...page.events.map((e) => e.event.id));
      if (page.next && page.events.length < 20) short += 1;
      next = page.next;
    } while (next);
    const want = Array.from({ length: 900 }, (_, i) => i)
      .filter((i) => i % 7 === 0)
      .sort((x, y) => services[y % 3]!.localeCompare(services[x % 3]!) || y - x)
      .map((i) => `k${i}`);
    expect(seen).toEqual(want);
    // with no budget, pages stopped at the clock before they were full
    expect(short).toBeGreaterThan(0);
    store.close();
  });

  it('sorts by a number among the newest matches and says when the window was full', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const n = SQLITE_NUMBER_SORT_WINDOW + 5;
    await store.write(
      Array.from({ length: n }, (_, i) =>
        logEvent(`r${i}`, T0 + i, 'orders', 'info', 'REPORT', {
          lambda: { platform: 'report', report: { duration_ms: i } },
        }),
      ),
    );
    const search = createSqliteSearch(store.db);
    const sortBy = { field: 'lambda.report.duration_ms', order: 'asc' } as const;
    const page = await search.page({ query: parseQuery(''), from: T0, to: T0 + n, limit: 3, sortBy });
    // the 5 oldest (smallest) are outside the window of the newest 10,000
    expect(page.events.map((e) => e.event.id)).toEqual(['r5', 'r6', 'r7']);
    expect(page.sortWindow).toEqual({ limit: SQLITE_NUMBER_SORT_WINDOW, truncated: true });
    const small = await search.page({ query: parseQuery(''), from: T0, to: T0 + 10, limit: 3, sortBy });
    expect(small.sortWindow).toEqual({ limit: SQLITE_NUMBER_SORT_WINDOW, truncated: false });
    expect(small.events.map((e) => e.event.id)).toEqual(['r0', 'r1', 'r2']);
    store.close();
  });
});
