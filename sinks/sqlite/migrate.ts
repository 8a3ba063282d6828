import type Database from 'better-sqlite3';
import type { LogEvent } from '../../transform/schema.js';
import { SQLITE_ERROR_CODES, SqliteStoreError } from './errors.js';
import { fieldTokens } from './field-index.js';
import { createFieldStats, FIELD_STATS_SQL, type StatsRow } from './field-stats.js';
import { encodeDoc } from './row.js';
import {
  DROPPED_SQL,
  jsonExtractSql,
  LINK_COLUMNS,
  LINK_INDEXES_SQL,
  ROLLUP_INSERT_TRIGGERS_SQL,
  ROLLUPS,
  SCHEMA_SQL,
  SCHEMA_V4_SQL,
  SCHEMA_VERSION,
} from './schema.js';

/**
 * The version 1 layout (Sluice ≤ 0.x before the scale work): `message` and `error_text` columns
 * behind an external-content FTS5 index, the whole event in `doc`, no rollups, no attribute
 * index. Kept to migrate such stores and to test that migration.
 */
export const SCHEMA_V1_SQL = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL, level TEXT NOT NULL,
  level_num INTEGER NOT NULL, service TEXT NOT NULL, transaction_id TEXT, trace_id TEXT,
  message TEXT NOT NULL, error_text TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE INDEX IF NOT EXISTS events_service_ts ON events (service, ts);
CREATE INDEX IF NOT EXISTS events_level_ts ON events (level, ts);
CREATE INDEX IF NOT EXISTS events_transaction ON events (transaction_id, ts) WHERE transaction_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_trace ON events (trace_id) WHERE trace_id IS NOT NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5 (
  message, error_text, content = 'events', content_rowid = 'seq', tokenize = 'unicode61'
);
CREATE TRIGGER IF NOT EXISTS events_fts_insert AFTER INSERT ON events BEGIN
  INSERT INTO events_fts (rowid, message, error_text) VALUES (new.seq, new.message, new.error_text);
END;
CREATE TRIGGER IF NOT EXISTS events_fts_delete AFTER DELETE ON events BEGIN
  INSERT INTO events_fts (events_fts, rowid, message, error_text) VALUES ('delete', old.seq, old.message, old.error_text);
END;
PRAGMA user_version = 1;
`;

/**
 * The version 3 layout: version 4 without the number rollups and value dictionaries
 * (`field-stats.ts`). Kept to test the in-place upgrade.
 */
export const SCHEMA_V3_SQL = `${SCHEMA_V4_SQL.replace(FIELD_STATS_SQL, '')}${ROLLUP_INSERT_TRIGGERS_SQL}
PRAGMA user_version = 3;
`;

/**
 * The version 2 layout: version 3 with the attribute index `attrs_fts` (attribute tokens only)
 * where version 3 has the field index `fields_fts`. Kept to test the in-place upgrade.
 */
export const SCHEMA_V2_SQL = `${SCHEMA_V4_SQL.replace(FIELD_STATS_SQL, '')
  .replaceAll('fields_fts', 'attrs_fts')
  .replace('events_fields_delete', 'events_attrs_delete')}${ROLLUP_INSERT_TRIGGERS_SQL}
PRAGMA user_version = 2;
`;

/**
 * Counts the rollups afresh from the stored events (the upgrade from layout 1, and tests that
 * write events with SQL instead of through the store).
 */
export function rebuildRollups(db: Database.Database): void {
  for (const r of ROLLUPS)
    db.exec(
      `DELETE FROM ${r.table};
       INSERT INTO ${r.table} (ts, service, level, level_num, n)
       SELECT ts - ts % ${r.ms}, service, level, max(level_num), count(*) FROM events GROUP BY 1, 2, 3`,
    );
}

interface V1Row {
  seq: number;
  id: string;
  ts: number;
  level: string;
  level_num: number;
  service: string;
  transaction_id: string | null;
  trace_id: string | null;
  doc: string;
}

/** Rewrites a version 1 store as the current layout, in one transaction (all or nothing). */
function migrateV1(db: Database.Database, log: (line: string) => void): void {
  const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  log(`sluice: upgrading the embedded store (${total} events) to layout ${SCHEMA_VERSION}; this runs once`);
  db.transaction(() => {
    db.exec(
      'DROP TRIGGER IF EXISTS events_fts_insert; DROP TRIGGER IF EXISTS events_fts_delete; DROP TABLE IF EXISTS events_fts;',
    );
    db.exec(SCHEMA_V4_SQL);
    rebuildRollups(db);
    db.exec(
      'INSERT INTO events_fts (rowid, message, error_text) SELECT seq, message, error_text FROM events',
    );
    const page = db.prepare(
      'SELECT seq, id, ts, level, level_num, service, transaction_id, trace_id, doc FROM events WHERE seq > ? ORDER BY seq LIMIT 5000',
    );
    const update = db.prepare('UPDATE events SET doc = ? WHERE seq = ?');
    const fields = db.prepare('INSERT INTO fields_fts (rowid, tokens) VALUES (?, ?)');
    let last = 0;
    for (;;) {
      const rows = page.all(last) as V1Row[];
      if (rows.length === 0) break;
      for (const r of rows) {
        const event = JSON.parse(r.doc) as LogEvent;
        update.run(encodeDoc(event, r), r.seq);
        const tokens = fieldTokens(event);
        if (tokens !== '') fields.run(r.seq, tokens);
        last = r.seq;
      }
    }
    db.exec('ALTER TABLE events DROP COLUMN message; ALTER TABLE events DROP COLUMN error_text;');
    db.pragma('user_version = 3');
  })();
  // Space given back after retention needs incremental auto-vacuum, which only VACUUM can turn on.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  log('sluice: the embedded store is upgraded');
}

/**
 * Version 2 → 3, in place and in one transaction (all or nothing): the attribute index
 * `attrs_fts` becomes the field index `fields_fts` (attribute tokens, field values, present fields,
 * number buckets), built in one pass over the stored events. Nothing else changes.
 */
function migrateV2(db: Database.Database, log: (line: string) => void): void {
  const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  log(`sluice: upgrading the embedded store (${total} events) to layout ${SCHEMA_VERSION}; this runs once`);
  const t0 = performance.now();
  db.transaction(() => {
    db.exec('DROP TRIGGER IF EXISTS events_attrs_delete; DROP TABLE IF EXISTS attrs_fts;');
    db.exec(SCHEMA_V4_SQL);
    const page = db.prepare('SELECT seq, doc FROM events WHERE seq > ? ORDER BY seq LIMIT 5000');
    const fields = db.prepare('INSERT INTO fields_fts (rowid, tokens) VALUES (?, ?)');
    let last = 0;
    for (;;) {
      const rows = page.all(last) as { seq: number; doc: string }[];
      if (rows.length === 0) break;
      for (const r of rows) {
        const tokens = fieldTokens(JSON.parse(r.doc));
        if (tokens !== '') fields.run(r.seq, tokens);
        last = r.seq;
      }
    }
    db.pragma('user_version = 3');
  })();
  log(`sluice: the embedded store is upgraded (${Math.round((performance.now() - t0) / 1000)} s)`);
}

/**
 * Version 3 → 4, in place and in one transaction: the number rollups and value dictionaries
 * (`field-stats.ts`) are built in one pass over the stored events. Nothing else changes.
 */
function migrateV3(db: Database.Database, log: (line: string) => void): void {
  const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  log(`sluice: upgrading the embedded store (${total} events) to layout ${SCHEMA_VERSION}; this runs once`);
  const t0 = performance.now();
  db.transaction(() => {
    db.exec(SCHEMA_V4_SQL);
    const stats = createFieldStats(db);
    const page = db.prepare(
      'SELECT seq, ts, service, level, level_num, doc FROM events WHERE seq > ? ORDER BY seq LIMIT 5000',
    );
    let last = 0;
    for (;;) {
      const rows = page.all(last) as (StatsRow & { seq: number; doc: string })[];
      if (rows.length === 0) break;
      for (const r of rows) {
        stats.add(JSON.parse(r.doc), r);
        last = r.seq;
      }
      stats.flush();
    }
    db.pragma('user_version = 4');
  })();
  log(`sluice: the embedded store is upgraded (${Math.round((performance.now() - t0) / 1000)} s)`);
}

/** Rows given their link columns per transaction of the 4 → 5 upgrade (bounds its WAL). */
const LINK_FILL_ROWS = 20_000;

/**
 * Version 4 → 5, in place: `faas.execution` and `span.id` get their own columns (`LINK_COLUMNS` in
 * `schema.ts`) with partial indexes, in place of layout 4's expression indexes on
 * `json_extract(doc, …)`. Adding a column rewrites nothing; then the rows are read in table order,
 * {@link LINK_FILL_ROWS} per transaction (so the WAL holds one step's pages, not a copy of the
 * table), and those with a value get it; the last transaction builds the new indexes from the
 * columns, drops the old ones and sets the layout. Interrupted, it starts again on the next open
 * (the layout is still 4, and a step done twice gives the same values); until then readers read
 * the old indexes (`reader.ts` goes by the layout).
 */
function migrateV4(db: Database.Database, log: (line: string) => void): void {
  const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  log(`sluice: upgrading the embedded store (${total} events) to layout ${SCHEMA_VERSION}; this runs once`);
  const t0 = performance.now();
  const columns = new Set(
    (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name),
  );
  for (const c of LINK_COLUMNS)
    if (!columns.has(c.column)) db.exec(`ALTER TABLE events ADD COLUMN ${c.column}`);
  const set = LINK_COLUMNS.map((c) => `${c.column} = ${jsonExtractSql(c.field)}`).join(', ');
  const any = LINK_COLUMNS.map((c) => `${jsonExtractSql(c.field)} IS NOT NULL`).join(' OR ');
  const fill = db.prepare(`UPDATE events SET ${set} WHERE seq > ? AND seq <= ? AND (${any})`);
  const last = (db.prepare('SELECT max(seq) AS m FROM events').get() as { m: number | null }).m ?? 0;
  for (let from = 0; from < last; from += LINK_FILL_ROWS)
    db.transaction(() => fill.run(from, from + LINK_FILL_ROWS))();
  db.transaction(() => {
    db.exec(LINK_INDEXES_SQL);
    for (const c of LINK_COLUMNS) db.exec(`DROP INDEX IF EXISTS ${c.was}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  log(`sluice: the embedded store is upgraded (${Math.round((performance.now() - t0) / 1000)} s)`);
}

const hasEventsTable = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'events'").get() !== undefined;

/**
 * Turns on incremental auto-vacuum in a new database file, so retention can give space back.
 * Must run first, before anything (even the WAL switch) writes the file's header.
 */
export function prepareNewFile(db: Database.Database): void {
  if (!hasEventsTable(db)) db.pragma('auto_vacuum = INCREMENTAL');
}

/**
 * Brings the store's layout to {@link SCHEMA_VERSION}: creates it in a new file (after
 * {@link prepareNewFile}), migrates a version 1 store, refuses a newer one.
 */
export function prepareSchema(db: Database.Database, log: (line: string) => void): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasEvents = hasEventsTable(db);
  if (version > SCHEMA_VERSION)
    throw new SqliteStoreError(
      SQLITE_ERROR_CODES.version,
      `the embedded store has layout ${version}, written by a newer Sluice; expected at most ${SCHEMA_VERSION}: upgrade Sluice or use another data_dir`,
    );
  if (hasEvents && version < 2) migrateV1(db, log);
  else if (hasEvents && version === 2) migrateV2(db, log);
  // After a 1 → 3 or 2 → 3 upgrade, its lines on the terminal stand for the later steps too.
  if (hasEvents && version < 4) migrateV3(db, version < 3 ? () => {} : log);
  if (hasEvents && version < 5) migrateV4(db, version < 4 ? () => {} : log);
  db.exec(DROPPED_SQL);
  db.exec(SCHEMA_SQL);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
