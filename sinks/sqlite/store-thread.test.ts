import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { logEvent, T0 } from '../../test/factories/search-events.js';
import type { LogEvent } from '../../transform/schema.js';
import type { DeliveryReport } from '../contract.js';
import type { DeadLetter } from '../dead-letters/types.js';
import { SqliteStoreError } from './errors.js';
import { SCHEMA_V1_SQL } from './migrate.js';
import { SCHEMA_VERSION } from './schema.js';
import { openSqliteStoreThread, type SqliteStoreThread } from './store-thread.js';

const dirs: string[] = [];
const open: SqliteStoreThread[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-store-thread-'));
  dirs.push(dir);
  return join(dir, 'nested', 'events.db');
};
const openThread = async (...a: Parameters<typeof openSqliteStoreThread>): Promise<SqliteStoreThread> => {
  const s = await openSqliteStoreThread(...a);
  open.push(s);
  return s;
};
/** What another connection reads from the file (committed state only). */
const storedIds = (path: string): string[] => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT id FROM events ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};
const batch = (prefix: string, n: number): LogEvent[] =>
  Array.from({ length: n }, (_, i) =>
    logEvent(`${prefix}-${String(i).padStart(5, '0')}`, T0 + i, 'orders', 'info', `event ${i} of ${prefix}`),
  );
const bad = (): LogEvent =>
  ({ ...logEvent('bad', T0, 'orders', 'info', 'secret-value'), '@timestamp': 'not a time' }) as LogEvent;

describe('openSqliteStoreThread', () => {
  it('resolves a write once its transaction committed, and applies calls in the order they were made', async () => {
    const path = tempDb();
    const store = await openThread({ path });
    const first = await store.write([logEvent('a', T0, 'orders', 'info', 'one')]);
    expect(first.counts.indexed).toBe(1);
    // Another connection sees it as soon as the write resolved.
    expect(storedIds(path)).toEqual(['a']);
    // Fired together: the second write of `same` is applied after the first, whose text stays.
    const [x, y, n] = await Promise.all([
      store.write([logEvent('same', T0, 'orders', 'info', 'first')]),
      store.write([logEvent('same', T0, 'orders', 'info', 'second'), logEvent('b', T0, 'a', 'info', 'b')]),
      store.count(),
    ]);
    expect(x.results).toEqual(['indexed']);
    expect(y.results).toEqual(['duplicate', 'indexed']);
    expect(n).toBe(3);
    const db = new Database(path, { readonly: true });
    expect((db.prepare("SELECT doc FROM events WHERE id = 'same'").get() as { doc: string }).doc).toContain(
      'first',
    );
    db.close();
    await store.close();
    const again = await openThread({ path });
    expect(await again.count()).toBe(3);
  });

  it('dead-letters a malformed event from the caller without failing its batch, or reports it not_delivered', async () => {
    const letters: DeadLetter[] = [];
    const store = await openThread({
      path: tempDb(),
      deadLetters: {
        async put(l) {
          letters.push(...l);
        },
      },
    });
    const r = await store.write([
      logEvent('ok1', T0, 'a', 'info', 'x'),
      bad(),
      logEvent('ok2', T0, 'a', 'info', 'y'),
    ]);
    expect(r.results).toEqual(['indexed', 'dead_lettered', 'indexed']);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ id: 'bad', stage: 'sink', original: bad() });
    expect(letters[0]?.error.code).toBe('SQLITE_STORE_BAD_EVENT');
    expect(letters[0]?.error.message).not.toContain('secret-value');

    const bare = await openThread({ path: tempDb() });
    expect((await bare.write([bad(), logEvent('ok', T0, 'a', 'info', 'y')])).results).toEqual([
      'not_delivered',
      'indexed',
    ]);
    const failing = await openThread({
      path: tempDb(),
      deadLetters: {
        async put() {
          throw new Error('disk full');
        },
      },
    });
    expect((await failing.write([bad()])).counts).toEqual({
      indexed: 0,
      duplicate: 0,
      dead_lettered: 0,
      not_delivered: 1,
    });
  });

  it('rejects every unanswered write with SQLITE_STORE_WRITER_LOST when its thread ends, then a new thread takes the retries: nothing lost, nothing doubled', async () => {
    const path = tempDb();
    const store = await openThread({ path });
    const batches = Array.from({ length: 6 }, (_, k) => batch(`b${k}`, 2000));
    const writes = batches.map((b) => store.write(b));
    // The first batch committed; the thread is ended while it holds the next ones.
    await writes[0];
    await store.terminate();
    const settled = await Promise.allSettled(writes);
    const lost = settled.filter((s) => s.status === 'rejected');
    expect(lost.length).toBeGreaterThan(0);
    for (const s of lost) {
      const err = (s as PromiseRejectedResult).reason as SqliteStoreError;
      expect(err).toBeInstanceOf(SqliteStoreError);
      expect(err.code).toBe('SQLITE_STORE_WRITER_LOST');
      expect(err.message).toMatch(/terminated.*write it again/);
    }
    // Each batch committed whole or not at all.
    const before = new Set(storedIds(path));
    for (const b of batches) {
      const n = b.filter((e) => before.has(e.event.id)).length;
      expect([0, b.length]).toContain(n);
    }
    // Retry every batch on the same store (a new writer thread starts): stored ones are duplicates.
    const reports: DeliveryReport[] = [];
    for (const b of batches) reports.push(await store.write(b));
    reports.forEach((r, k) => {
      const stored = batches[k]?.filter((e) => before.has(e.event.id)).length ?? 0;
      expect(r.counts).toMatchObject({ duplicate: stored, indexed: 2000 - stored, not_delivered: 0 });
    });
    expect(await store.count()).toBe(12_000);
    expect(new Set(storedIds(path)).size).toBe(12_000);
  });

  it('rejects the calls of a thread that crashed (out of memory) with SQLITE_STORE_WRITER_LOST, and a new thread takes the retried batch', async () => {
    const path = tempDb();
    const store = await openThread({ path, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    expect((await store.write(batch('small', 100))).counts.indexed).toBe(100);
    // 200 MB of messages: past the thread's 64 MB heap once copied to it.
    const big = Array.from({ length: 2000 }, (_, i) =>
      logEvent(`big-${i}`, T0 + i, 'orders', 'info', `${i} ${'x'.repeat(100_000)}`),
    );
    const err = await store.write(big).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SqliteStoreError);
    expect(err).toMatchObject({ code: 'SQLITE_STORE_WRITER_LOST' });
    expect((err as Error).message).toMatch(/it failed: .*memory/i);
    expect(storedIds(path).filter((id) => id.startsWith('big-'))).toHaveLength(0);
    // Retried in smaller batches on the same store: a new thread, nothing lost or doubled.
    for (let i = 0; i < big.length; i += 50) await store.write(big.slice(i, i + 50));
    expect((await store.write(batch('small', 100))).counts.duplicate).toBe(100);
    expect(await store.count()).toBe(2100);
  });

  it('rejects a write that SQLite failed with SQLITE_STORE_WRITE_FAILED, and the same thread takes the next one', async () => {
    const path = tempDb();
    const store = await openThread({ path });
    await store.write(batch('before', 10));
    // Another connection holds the write lock past the writer's busy timeout (5 s).
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.write(batch('blocked', 10))).rejects.toMatchObject({
        code: 'SQLITE_STORE_WRITE_FAILED',
        message: expect.stringMatching(/SQLITE_BUSY.*rolled back/),
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await store.write(batch('blocked', 10))).counts.indexed).toBe(10);
    expect(await store.count()).toBe(20);
  });

  it('close() applies the writes made before it, then checkpoints the WAL into the file', async () => {
    const path = tempDb();
    const store = await openThread({ path });
    const writes = Array.from({ length: 5 }, (_, k) => store.write(batch(`c${k}`, 500)));
    await store.close();
    for (const r of await Promise.all(writes)) expect(r.counts.indexed).toBe(500);
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
    expect(storedIds(path)).toHaveLength(2500);
    await expect(store.write(batch('late', 1))).rejects.toMatchObject({ code: 'SQLITE_STORE_CLOSED' });
    await store.close(); // idempotent
  });

  it('prunes, compacts and sizes on the writer thread, in order with the writes', async () => {
    const store = await openThread({ path: tempDb() });
    void store.write(batch('p', 3000));
    // Made after the write: sees its events.
    expect(await store.prune(T0 + 1000, 600)).toBe(600);
    expect(await store.prune(T0 + 1000, 600)).toBe(400);
    expect(await store.count()).toBe(2000);
    const size = await store.compact();
    expect(size.usedBytes).toBeGreaterThan(0);
    expect(await store.size()).toEqual(size);
  });

  it('upgrades an older layout in its thread and passes the upgrade log lines to the caller', async () => {
    const path = tempDb();
    const fresh = await openThread({ path }); // creates the folder
    await fresh.close();
    rmSync(path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA_V1_SQL);
    db.prepare(
      `INSERT INTO events (id, ts, level, level_num, service, transaction_id, trace_id, message, error_text, doc)
       VALUES ('old', ?, 'info', 2, 'orders', NULL, NULL, 'hello', '', ?)`,
    ).run(T0, JSON.stringify(logEvent('old', T0, 'orders', 'info', 'hello')));
    db.close();
    const lines: string[] = [];
    const store = await openThread({ path, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(
      new RegExp(`upgrading the embedded store \\(1 events\\) to layout ${SCHEMA_VERSION}`),
    );
    expect(lines[1]).toMatch(/is upgraded/);
    expect(await store.count()).toBe(1);
  });

  it('rejects with the typed open error when the store cannot be opened', async () => {
    const path = tempDb();
    const fresh = await openThread({ path });
    await fresh.close();
    await expect(openSqliteStoreThread({ path: join(path, 'x.db') })).rejects.toMatchObject({
      code: 'SQLITE_STORE_OPEN_FAILED',
      message: expect.stringMatching(/cannot open the embedded store/),
    });
  });
});
