import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../sinks/sqlite/store.js';
import { openSqliteStoreThread } from '../sinks/sqlite/store-thread.js';
import { logEvent, T0 } from '../test/factories/search-events.js';
import { type RetainedStore, startRetention } from './retention.js';

const HOUR = 3_600_000;
const open: SqliteStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function storeWith(ages: readonly number[]): Promise<SqliteStore> {
  const store = openSqliteStore({ path: ':memory:' });
  open.push(store);
  await store.write(ages.map((h, i) => logEvent(`e${i}`, T0 - h * HOUR, 'svc', 'info', `m${i}`)));
  return store;
}

/** One retention pass at T0 with a size cap, in batches of 500: how many events it deleted, and its log lines. */
async function cappedPass(
  store: RetainedStore,
  retentionHours: number,
  maxBytes: number,
): Promise<{ n: number; lines: string[] }> {
  const lines: string[] = [];
  const r = startRetention(store, {
    retentionHours,
    maxBytes,
    batch: 500,
    now: () => T0,
    log: (l) => lines.push(l),
  });
  const n = await r.pass();
  await r.stop();
  return { n, lines };
}

describe('startRetention', () => {
  it('deletes events older than the retention at start, batch by batch, and says how many', async () => {
    const store = await storeWith([200, 190, 180, 170, 169, 100, 1, 0]);
    const lines: string[] = [];
    const r = startRetention(store, {
      retentionHours: 168,
      batch: 2,
      now: () => T0,
      log: (l) => lines.push(l),
    });
    expect(await r.pass()).toBe(5); // joins the pass that started with it
    expect(await r.pass()).toBe(0); // nothing left
    expect(r.deleted).toBe(5);
    expect(store.count()).toBe(3);
    expect(lines).toEqual([
      expect.stringMatching(/^sluice start: retention deleted 5 events older than 168 h/),
    ]);
    await r.stop();
  });

  it('runs again on its interval as time moves on, and not after stop', async () => {
    const store = await storeWith([1, 3, 5]);
    let now = T0;
    const r = startRetention(store, { retentionHours: 2, intervalMs: 20, now: () => now, log: () => {} });
    await r.pass();
    expect(store.count()).toBe(1);
    now = T0 + 2 * HOUR;
    await expect.poll(() => store.count(), { timeout: 5000 }).toBe(0);
    await r.stop();
    await store.write([logEvent('late', T0 - 100 * HOUR, 'svc', 'info', 'x')]);
    expect(await r.pass()).toBe(0);
    expect(store.count()).toBe(1);
  });

  it('reports a failed pass and keeps trying on its interval', async () => {
    const store = await storeWith([5]);
    await store.close(); // every prune now fails with the store's typed error
    const lines: string[] = [];
    const r = startRetention(store, { retentionHours: 1, intervalMs: 10, log: (l) => lines.push(l) });
    await expect.poll(() => lines.length, { timeout: 5000 }).toBeGreaterThan(1);
    await r.stop();
    expect(lines[0]).toMatch(/retention pass failed, will retry: the embedded store is closed/);
  });

  it('keeps the store under max_store_mb: deletes the oldest events whatever their age and gives the space back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-retention-'));
    try {
      const store = openSqliteStore({ path: join(dir, 'events.db') });
      open.push(store);
      const events = Array.from({ length: 6000 }, (_, i) =>
        logEvent(`e${i}`, T0 - (6000 - i) * 1000, 'svc', 'info', `message ${i} `.repeat(20)),
      );
      for (let i = 0; i < events.length; i += 1000) await store.write(events.slice(i, i + 1000));
      const before = store.compact().fileBytes;
      const cap = Math.floor(before / 2);
      const { n, lines } = await cappedPass(store, 168, cap);
      expect(n).toBeGreaterThan(0);
      expect(store.size().fileBytes).toBeLessThanOrEqual(cap);
      expect(store.count()).toBe(6000 - n);
      // the newest events stay, the oldest went
      const oldest = store.db.prepare('SELECT min(ts) AS t FROM events').get() as { t: number };
      expect(oldest.t).toBe(T0 - (6000 - n) * 1000);
      expect(lines.at(-1)).toMatch(/over its \d+ MB cap: deleted the \d+ oldest events/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prunes and caps the writer-thread store of sluice start through its thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-retention-'));
    const store = await openSqliteStoreThread({ path: join(dir, 'events.db') });
    try {
      const events = Array.from({ length: 6000 }, (_, i) =>
        logEvent(`e${i}`, T0 - (6000 - i) * 1000, 'svc', 'info', `message ${i} `.repeat(20)),
      );
      for (let i = 0; i < events.length; i += 1000) void store.write(events.slice(i, i + 1000));
      const before = (await store.compact()).fileBytes; // after the writes: calls run in order
      const cap = Math.floor(before / 2);
      const { n, lines } = await cappedPass(store, 1, cap); // the 2,400 events older than 1 h go by age first
      expect(n).toBeGreaterThan(2400);
      expect((await store.size()).fileBytes).toBeLessThanOrEqual(cap);
      expect(await store.count()).toBe(6000 - n);
      expect(lines[0]).toMatch(/retention deleted 2400 events older than 1 h/);
      expect(lines.at(-1)).toMatch(/over its \d+ MB cap: deleted the \d+ oldest events/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
