import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logEvent, T0 } from '../../test/factories/search-events.js';
import type { LogEvent } from '../../transform/schema.js';
import type { DeadLetter } from '../dead-letters/types.js';
import { openSqliteStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'events.db');
};

describe('openSqliteStore', () => {
  it('creates its folder, uses WAL and keeps events across reopen', async () => {
    const path = tempDb();
    const store = openSqliteStore({ path });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // The writer's statement journals stay in memory (2 = MEMORY; see docs/store.md, Memory).
    expect(store.db.pragma('temp_store', { simple: true })).toBe(2);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10000);
    await store.write([
      logEvent('a', T0, 'orders', 'info', 'one'),
      logEvent('b', T0, 'orders', 'info', 'two'),
    ]);
    await store.close();
    const again = openSqliteStore({ path });
    expect(again.count()).toBe(2);
    await again.close();
  });

  it('keeps the database, its WAL and its folder owner-only (0600 / 0700), also a file that was 0644', async () => {
    const path = tempDb();
    mkdirSync(dirname(path));
    writeFileSync(path, '', { mode: 0o644 });
    chmodSync(path, 0o644);
    const store = openSqliteStore({ path });
    await store.write([logEvent('a', T0, 'orders', 'info', 'one')]);
    for (const f of [path, `${path}-wal`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    await store.close();
    const fresh = tempDb();
    const other = openSqliteStore({ path: fresh });
    expect(statSync(dirname(fresh)).mode & 0o777).toBe(0o700);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    await other.close();
  });

  it('is idempotent by event.id: a second write of the same id is a duplicate', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const ev = logEvent('same', T0, 'orders', 'info', 'once');
    expect((await store.write([ev])).counts).toEqual({
      indexed: 1,
      duplicate: 0,
      dead_lettered: 0,
      not_delivered: 0,
    });
    const r = await store.write([ev, logEvent('other', T0, 'orders', 'info', 'x')]);
    expect(r.results).toEqual(['duplicate', 'indexed']);
    expect(store.count()).toBe(2);
    // the FTS index follows the table: one row per stored event
    expect(
      (
        store.db.prepare("SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH 'once'").get() as {
          n: number;
        }
      ).n,
    ).toBe(1);
    await store.close();
  });

  it('dead-letters a malformed event with the reason and stores its neighbours', async () => {
    const letters: DeadLetter[] = [];
    const store = openSqliteStore({
      path: ':memory:',
      deadLetters: {
        async put(l) {
          letters.push(...l);
        },
      },
    });
    const bad = {
      ...logEvent('bad', T0, 'orders', 'info', 'secret-value'),
      '@timestamp': 'not a time',
    } as LogEvent;
    const r = await store.write([
      logEvent('ok1', T0, 'a', 'info', 'x'),
      bad,
      logEvent('ok2', T0, 'a', 'info', 'y'),
    ]);
    expect(r.results).toEqual(['indexed', 'dead_lettered', 'indexed']);
    expect(r.counts).toEqual({ indexed: 2, duplicate: 0, dead_lettered: 1, not_delivered: 0 });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ id: 'bad', stage: 'sink', original: bad });
    expect(letters[0]?.error.code).toBe('SQLITE_STORE_BAD_EVENT');
    expect(letters[0]?.error.message).toMatch(/@timestamp/);
    expect(letters[0]?.error.message).not.toContain('secret-value');
    expect(store.count()).toBe(2);
    await store.close();
  });

  it('reports a malformed event not_delivered when there is no dead-letter store or it fails', async () => {
    const bad = { ...logEvent('bad', T0, 'orders', 'info', 'x'), '@timestamp': 'not a time' } as LogEvent;
    const bare = openSqliteStore({ path: ':memory:' });
    expect((await bare.write([bad, logEvent('ok', T0, 'a', 'info', 'y')])).results).toEqual([
      'not_delivered',
      'indexed',
    ]);
    await bare.close();
    const failing = openSqliteStore({
      path: ':memory:',
      deadLetters: {
        async put() {
          throw new Error('disk full');
        },
      },
    });
    expect((await failing.write([bad])).counts).toEqual({
      indexed: 0,
      duplicate: 0,
      dead_lettered: 0,
      not_delivered: 1,
    });
    await failing.close();
  });

  it('prunes the oldest events before a time in bounded batches, with their full-text entries', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const hour = 3_600_000;
    await store.write([
      logEvent('old1', T0 - 3 * hour, 'a', 'info', 'ancient alpha'),
      logEvent('old2', T0 - 2 * hour, 'a', 'info', 'ancient beta'),
      logEvent('old3', T0 - 2 * hour, 'a', 'info', 'ancient gamma'),
      logEvent('edge', T0 - hour, 'a', 'info', 'edge'),
      logEvent('new', T0, 'a', 'info', 'fresh'),
    ]);
    expect(store.prune(T0 - hour, 2)).toBe(2);
    expect(store.prune(T0 - hour, 2)).toBe(1);
    expect(store.prune(T0 - hour, 2)).toBe(0);
    const ids = store.db.prepare('SELECT id FROM events ORDER BY ts').all() as { id: string }[];
    expect(ids.map((r) => r.id)).toEqual(['edge', 'new']);
    const fts = store.db.prepare("SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH 'ancient'");
    expect((fts.get() as { n: number }).n).toBe(0);
    // a pruned id can be stored again (e.g. a replay): it is new to the store
    expect((await store.write([logEvent('old1', T0, 'a', 'info', 'again')])).results).toEqual(['indexed']);
    await store.close();
    expect(() => store.prune(T0)).toThrow(/closed/);
  });

  it('gives the space of pruned events back to the file system (incremental auto-vacuum)', async () => {
    const path = tempDb();
    const store = openSqliteStore({ path });
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(2);
    const events = Array.from({ length: 8000 }, (_, i) =>
      logEvent(`e${i}`, T0 + i * 1000, `svc${i % 5}`, 'info', `message ${i} `.repeat(10), {
        attributes: { order_id: `ord-${i}`, n: i },
      }),
    );
    for (let i = 0; i < events.length; i += 1000) await store.write(events.slice(i, i + 1000));
    const full = store.compact();
    let deleted = 0;
    for (let n = 1000; n === 1000; deleted += n) n = store.prune(T0 + 6000 * 1000, 1000);
    expect(deleted).toBe(6000);
    const after = store.compact();
    expect(after.usedBytes).toBeLessThanOrEqual(after.fileBytes);
    // three quarters of the events went: the file is at most half its size (indexes keep some pages)
    expect(after.fileBytes).toBeLessThan(full.fileBytes * 0.5);
    expect(statSync(path).size).toBe(after.fileBytes);
    await store.close();
  });

  it('refuses writes after close with a typed error', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.close();
    await expect(store.write([])).rejects.toThrow(/closed/);
  });

  it('explains an unusable path', () => {
    const file = tempDb();
    openSqliteStore({ path: file }).close();
    // a path below a regular file cannot be created
    expect(() => openSqliteStore({ path: join(file, 'x.db') })).toThrow(/cannot open the embedded store/);
  });
});
