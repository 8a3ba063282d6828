import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../search/query.js';
import { createSqliteSearch } from '../../search/sqlite.js';
import { logEvent, searchFixture, T0 } from '../../test/factories/search-events.js';
import type { LogEvent } from '../../transform/schema.js';
import { SCHEMA_V1_SQL } from './migrate.js';
import { levelNumber } from './row.js';
import { SCHEMA_VERSION } from './schema.js';
import { openSqliteStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-migrate-'));
  dirs.push(dir);
  return join(dir, 'events.db');
};

/** Writes `events` as Sluice wrote them in layout 1 (whole event in `doc`, text columns, FTS trigger). */
function writeV1(path: string, events: readonly LogEvent[]): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_V1_SQL);
  const insert = db.prepare(
    `INSERT INTO events (id, ts, level, level_num, service, transaction_id, trace_id, message, error_text, doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const e of events) {
    const err = e.error;
    insert.run(
      e.event.id,
      Date.parse(e['@timestamp']),
      e.log.level,
      levelNumber(e.log.level),
      e.service.name,
      e.transaction?.id ?? null,
      e.trace?.id ?? null,
      e.message,
      err ? [err.type, err.message, err.stack_trace].filter((s) => typeof s === 'string').join('\n') : '',
      JSON.stringify(e),
    );
  }
  db.close();
}

const range = { from: T0 - 3_600_000, to: T0 + 3_600_000, limit: 100, offset: 0 };

describe('migration of a layout 1 store', () => {
  it('keeps every event and makes rollups, the attribute index, full text and space reuse work', async () => {
    const path = tempDb();
    const events = searchFixture();
    writeV1(path, events);
    const lines: string[] = [];
    const store = openSqliteStore({ path, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/upgrading the embedded store \(10 events\) to layout 2/);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(2); // incremental
    const columns = (store.db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).not.toContain('message');
    expect(store.count()).toBe(events.length);

    const search = createSqliteSearch(store.db);
    const all = await search.search({ query: parseQuery(''), ...range });
    expect([...all.events].sort((a, b) => a.event.id.localeCompare(b.event.id))).toEqual(
      [...events].sort((a, b) => a.event.id.localeCompare(b.event.id)),
    );
    // rollups hold the same counts as the events
    const fromEvents = store.db
      .prepare('SELECT service, level, count(*) AS n FROM events GROUP BY 1, 2 ORDER BY 1, 2')
      .all();
    const fromRollup = store.db
      .prepare('SELECT service, level, sum(n) AS n FROM rollup_hour GROUP BY 1, 2 ORDER BY 1, 2')
      .all();
    expect(fromRollup).toEqual(fromEvents);
    const ids = async (q: string) =>
      (await search.search({ query: parseQuery(q), ...range })).events.map((e) => e.event.id).sort();
    expect(await ids('attributes.order_id:ord-1')).toEqual(
      events
        .filter((e) => (e.attributes as { order_id?: string }).order_id === 'ord-1')
        .map((e) => e.event.id)
        .sort(),
    );
    expect(await ids('declined')).toEqual(['e03']);
    // new writes and retention work on the migrated store
    await store.write([logEvent('new', T0 + 3_000_000, 'orders', 'info', 'after the upgrade')]);
    expect(await ids('upgrade')).toEqual(['new']);
    expect(store.prune(T0 + 2_000_000)).toBe(events.length);
    expect(await ids('declined')).toEqual([]);
    await store.close();

    // opening again does not migrate again
    const again = openSqliteStore({ path, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
    expect(again.count()).toBe(1);
    await again.close();
  });

  it('refuses a store written by a newer Sluice, saying which layout it has', () => {
    const path = tempDb();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore({ path })).toThrow(
      expect.objectContaining({
        code: 'SQLITE_STORE_NEWER_LAYOUT',
        message: expect.stringMatching(/layout 3/),
      }),
    );
  });
});
