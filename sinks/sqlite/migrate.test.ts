import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../search/query.js';
import { createSqliteSearch } from '../../search/sqlite.js';
import { logEvent, searchFixture, T0 } from '../../test/factories/search-events.js';
import type { LogEvent } from '../../transform/schema.js';
import { attributeTokens } from './attributes.js';
import { SCHEMA_V1_SQL, SCHEMA_V2_SQL, SCHEMA_V3_SQL } from './migrate.js';
import { levelNumber, toRow } from './row.js';
import { ROLLUP_INSERT_TRIGGERS_SQL, SCHEMA_VERSION } from './schema.js';
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
    expect(lines[0]).toMatch(
      new RegExp(`upgrading the embedded store \\(10 events\\) to layout ${SCHEMA_VERSION}`),
    );
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
        message: expect.stringMatching(new RegExp(`layout ${SCHEMA_VERSION + 1}`)),
      }),
    );
  });
});

/**
 * Writes `events` as Sluice wrote them in an older layout: its schema, the events and their full-text
 * rows, and the per-event tokens of its attribute or field index (`tokensOf`, '' for none) in `table`.
 */
function writeOld(
  path: string,
  events: readonly LogEvent[],
  schemaSql: string,
  table: 'attrs_fts' | 'fields_fts',
  tokensOf: (e: LogEvent, fieldTokens: string) => string,
): void {
  const db = new Database(path);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.exec(schemaSql);
  const insert = db.prepare(
    `INSERT INTO events (id, ts, level, level_num, service, transaction_id, trace_id, doc)
     VALUES (@id, @ts, @level, @level_num, @service, @transaction_id, @trace_id, @doc)`,
  );
  const fts = db.prepare('INSERT INTO events_fts (rowid, message, error_text) VALUES (?, ?, ?)');
  const index = db.prepare(`INSERT INTO ${table} (rowid, tokens) VALUES (?, ?)`);
  for (const e of events) {
    const r = toRow(e);
    if (!r.ok) throw new Error(r.reason);
    const seq = Number(insert.run(r.stored.row).lastInsertRowid);
    fts.run(seq, r.stored.message, r.stored.errorText);
    const tokens = tokensOf(e, r.stored.fieldTokens);
    if (tokens !== '') index.run(seq, tokens);
  }
  db.close();
}

/** Writes `events` as Sluice wrote them in layout 2 (attribute tokens only, in `attrs_fts`). */
function writeV2(path: string, events: readonly LogEvent[]): void {
  writeOld(path, events, SCHEMA_V2_SQL, 'attrs_fts', (e) => attributeTokens(e.attributes));
}

describe('in-place upgrade of a layout 2 store', () => {
  const QUERIES = [
    'error.type:*',
    'error.type:CardDeclinedError',
    '-error.type:*',
    'attributes.order_id:ord-1',
    'attributes.amount>10',
    'attributes.http.status>=500',
    'attributes.http:*',
    'log.format:pino',
    'duration>100',
    'declined',
    '',
  ];

  it('builds the field index from the stored events, and then answers like a store written at the new layout', async () => {
    const events = [
      ...searchFixture(),
      logEvent('r1', T0 + 30_000, 'orders', 'info', 'REPORT RequestId: x', {
        lambda: {
          report: {
            duration_ms: 250.5,
            billed_duration_ms: 251,
            memory_size_mb: 128,
            max_memory_used_mb: 70,
          },
        },
      } as Partial<LogEvent>),
    ];
    const v2 = tempDb();
    writeV2(v2, events);
    const lines: string[] = [];
    const migrated = openSqliteStore({ path: v2, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(
      new RegExp(`upgrading the embedded store \\(${events.length} events\\) to layout ${SCHEMA_VERSION}`),
    );
    expect(lines[1]).toMatch(/is upgraded \(\d+ s\)/);
    expect(migrated.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (
      migrated.db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'attrs_fts%'").all() as unknown[]
    ).length;
    expect(tables).toBe(0);

    const fresh = openSqliteStore({ path: ':memory:' });
    await fresh.write(events);
    const a = createSqliteSearch(migrated.db);
    const b = createSqliteSearch(fresh.db);
    for (const q of QUERIES) {
      const req = { query: parseQuery(q), ...range };
      const [x, y] = [await a.search(req), await b.search(req)];
      expect(
        x.events.map((e) => e.event.id),
        q,
      ).toEqual(y.events.map((e) => e.event.id));
      expect(x.total, q).toBe(y.total);
    }
    expect((await a.search({ query: parseQuery('error.type:*'), ...range })).total).toBe(
      events.filter((e) => e.error?.type !== undefined).length,
    );
    expect(
      (await a.search({ query: parseQuery('duration>100'), ...range })).events.map((e) => e.event.id),
    ).toEqual(['r1']);
    // deletes reach the new index (its trigger), and opening again does not migrate again
    migrated.prune(Number.POSITIVE_INFINITY);
    expect(
      (
        migrated.db.prepare("SELECT count(*) AS n FROM fields_fts WHERE fields_fts MATCH 'a*'").get() as {
          n: number;
        }
      ).n,
    ).toBe(0);
    await migrated.close();
    const again = openSqliteStore({ path: v2, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
    await again.close();
    await fresh.close();
  });
});

/** Writes `events` as Sluice wrote them in layout 3 (no number rollups, no value dictionaries). */
function writeV3(path: string, events: readonly LogEvent[]): void {
  writeOld(path, events, SCHEMA_V3_SQL, 'fields_fts', (_e, fieldTokens) => fieldTokens);
}

describe('in-place upgrade of a layout 3 store', () => {
  it('builds the number rollups and value dictionaries from the stored events, as a store written at layout 4 has them', async () => {
    const events = Array.from({ length: 400 }, (_, i) =>
      logEvent(`n${i}`, T0 + i * 97_000, i % 3 ? 'orders' : 'payments', i % 5 ? 'info' : 'error', `m ${i}`, {
        log: { level: i % 5 ? 'info' : 'error', format: 'pino', logger: `lg-${i % 4}` },
        attributes: { amount: (i * 37) % 500, ...(i % 7 === 0 ? { nested: { x: i } } : {}) },
        ...(i % 2 ? { lambda: { platform: 'report', report: { duration_ms: i * 5.5 } } } : {}),
      } as Partial<LogEvent>),
    );
    const v3 = tempDb();
    writeV3(v3, events);
    const lines: string[] = [];
    const migrated = openSqliteStore({ path: v3, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(new RegExp(`\\(${events.length} events\\) to layout ${SCHEMA_VERSION}`));
    expect(lines[1]).toMatch(/is upgraded \(\d+ s\)/);
    const fresh = openSqliteStore({ path: ':memory:' });
    await fresh.write(events);
    const dump = (db: Database.Database) => ({
      fields: db.prepare('SELECT id, field, numeric FROM number_fields ORDER BY id').all(),
      rollup: db.prepare('SELECT * FROM rollup_number ORDER BY field, bucket, ts, service, level').all(),
      values: db.prepare('SELECT * FROM field_values ORDER BY field, value').all(),
    });
    const want = dump(fresh.db);
    expect(want.rollup.length).toBeGreaterThan(100);
    expect(dump(migrated.db)).toEqual(want);
    const range = { from: T0, to: T0 + 400 * 97_000, limit: 10, offset: 0, buckets: 40 };
    const a = createSqliteSearch(migrated.db, { budgets: { countMs: 0, pageMs: 0 } });
    for (const q of ['duration>1000', 'attributes.amount>=100', 'log.logger:lg-1*', 'log.logger:zz*']) {
      const r = await a.search({ query: parseQuery(q), ...range });
      expect(r.partial, q).toBeUndefined();
      expect(r.total, q).toBe(
        (await createSqliteSearch(fresh.db).search({ query: parseQuery(q), ...range, exact: true })).total,
      );
    }
    await migrated.close();
    await fresh.close();
  });
});

describe('a store with the per-row rollup insert triggers of layouts 2 and 3', () => {
  it('loses its per-row rollup insert triggers on open, so new writes are counted once', async () => {
    const path = tempDb();
    const old = openSqliteStore({ path });
    old.db.exec(ROLLUP_INSERT_TRIGGERS_SQL);
    await old.close();
    const store = openSqliteStore({ path });
    await store.write([
      logEvent('a', T0, 'orders', 'info', 'one'),
      logEvent('b', T0 + 1, 'orders', 'error', 'two'),
      logEvent('c', T0 + 90_000, 'payments', 'info', 'three'),
      logEvent('a', T0, 'orders', 'info', 'one again'),
    ]);
    for (const table of ['rollup_minute', 'rollup_hour'])
      expect(
        store.db
          .prepare(`SELECT service, level, sum(n) AS n FROM ${table} GROUP BY 1, 2 ORDER BY 1, 2`)
          .all(),
        table,
      ).toEqual([
        { service: 'orders', level: 'error', n: 1 },
        { service: 'orders', level: 'info', n: 1 },
        { service: 'payments', level: 'info', n: 1 },
      ]);
    expect(store.db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE '%_insert'").all()).toEqual([]);
    await store.close();
  });
});
