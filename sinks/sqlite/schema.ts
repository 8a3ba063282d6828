import { FIELD_STATS_SQL } from './field-stats.js';

/** Version of the store's table layout, kept in `PRAGMA user_version` (see `migrate.ts`). */
export const SCHEMA_VERSION = 5;

/**
 * Schema paths whose values are also kept in their own column beside `doc` (layout 5), each with a
 * partial index: the trace view's request-id links, `request:` / `faas.execution:` and `span.id:`
 * terms. The column holds what `json_extract(doc, path)` gives (`row.ts`, `linkValue`) and has no
 * type affinity, so a comparison answers as it did on layout 4's expression indexes; the value stays
 * in `doc` too. Layout 4 indexed the expressions themselves ({@link LAYOUT4_LINK_INDEXES_SQL}): that
 * parsed each event's JSON up to four times per insert.
 */
export const LINK_COLUMNS = [
  {
    field: 'faas.execution',
    column: 'faas_execution',
    index: 'events_request_id',
    was: 'events_faas_execution',
  },
  { field: 'span.id', column: 'span_id', index: 'events_span_id', was: 'events_span' },
] as const;

/** The partial indexes of the {@link LINK_COLUMNS}. */
export const LINK_INDEXES_SQL = LINK_COLUMNS.map(
  (c) => `CREATE INDEX IF NOT EXISTS ${c.index} ON events (${c.column}) WHERE ${c.column} IS NOT NULL;`,
).join('\n');

/** `json_extract` of a dotted schema path (`$."a"."b"`), as layout 4's expression indexes wrote it. */
export const jsonExtractSql = (field: string, table = ''): string =>
  `json_extract(${table}doc, '$${field
    .split('.')
    .map((s) => `."${s}"`)
    .join('')}')`;

/** Layout 4's expression indexes in place of the {@link LINK_COLUMNS} (to write and upgrade such stores). */
export const LAYOUT4_LINK_INDEXES_SQL = LINK_COLUMNS.map(
  (c) =>
    `CREATE INDEX IF NOT EXISTS ${c.was} ON events (${jsonExtractSql(c.field)})
  WHERE ${jsonExtractSql(c.field)} IS NOT NULL;`,
).join('\n');

/** Widths of the count rollups, in ms: per minute and per hour (see {@link SCHEMA_SQL}). */
export const ROLLUPS = [
  { table: 'rollup_minute', ms: 60_000 },
  { table: 'rollup_hour', ms: 3_600_000 },
] as const;

/** What older stores had and this one drops on open: the per-row rollup insert triggers. */
export const DROPPED_SQL = ROLLUPS.map((r) => `DROP TRIGGER IF EXISTS events_${r.table}_insert;`).join('\n');

/** The per-row rollup insert triggers of layouts 2 and 3 (kept to write such stores in tests). */
export const ROLLUP_INSERT_TRIGGERS_SQL = ROLLUPS.map(
  (r) => `
CREATE TRIGGER IF NOT EXISTS events_${r.table}_insert AFTER INSERT ON events BEGIN
  INSERT INTO ${r.table} (ts, service, level, level_num, n)
  VALUES (new.ts - new.ts % ${r.ms}, new.service, new.level, new.level_num, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;`,
).join('');

const rollupSql = (table: string, ms: number): string => `
CREATE TABLE IF NOT EXISTS ${table} (
  ts        INTEGER NOT NULL,
  service   TEXT    NOT NULL,
  level     TEXT    NOT NULL,
  level_num INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (ts, service, level)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS events_${table}_delete AFTER DELETE ON events BEGIN
  UPDATE ${table} SET n = n - 1
  WHERE ts = old.ts - old.ts % ${ms} AND service = old.service AND level = old.level;
END;
`;

/**
 * The store's tables (version 5):
 *
 * - `events`: one row per event; the columns the search API filters and sorts on, and the rest
 *   of the event as JSON in `doc` (without the column values, see `row.ts`). B-tree indexes for
 *   time, service, level, transaction id and trace id, and partial ones for the Lambda request id
 *   and the span id, copied from `doc` into their own columns ({@link LINK_COLUMNS}, layout 5).
 * - `events_fts`: a contentless FTS5 index over the message and the error text (the text itself
 *   lives in `doc`); rows are added by the store and removed by a trigger.
 * - `rollup_minute` / `rollup_hour`: event counts per (minute | hour, service, level), counted
 *   up by the store's write (one upsert per key and batch, in the batch's transaction) and down
 *   by a trigger when retention deletes events, so counts, histograms and facets of queries made
 *   only of time, service and level read thousands of rollup rows, not millions of events.
 *   Stores written before (layouts 2 and 3) kept the insert side by per-row triggers too; they
 *   are dropped on open ({@link DROPPED_SQL}).
 * - `fields_fts`: the field index, a contentless FTS5 table (detail=none) of the tokens of each
 *   event's attributes, field values, present fields and number buckets — see `field-index.ts`
 *   (layout 2 had `attrs_fts`, the attribute tokens only).
 * - `number_fields`, `rollup_number`, `field_values`, `field_values_full` (layout 4): number
 *   rollups and value dictionaries, kept by the store per batch — see `field-stats.ts`.
 */
const schemaSql = (links: 'columns' | 'expressions'): string => `
CREATE TABLE IF NOT EXISTS events (
  seq            INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL UNIQUE,
  ts             INTEGER NOT NULL,
  level          TEXT    NOT NULL,
  level_num      INTEGER NOT NULL,
  service        TEXT    NOT NULL,
  transaction_id TEXT,
  trace_id       TEXT,
  doc            TEXT    NOT NULL${links === 'columns' ? ',\n  faas_execution,\n  span_id' : ''}
);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE INDEX IF NOT EXISTS events_service_ts ON events (service, ts);
CREATE INDEX IF NOT EXISTS events_level_ts ON events (level, ts);
CREATE INDEX IF NOT EXISTS events_transaction ON events (transaction_id, ts) WHERE transaction_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_trace ON events (trace_id) WHERE trace_id IS NOT NULL;
${links === 'columns' ? LINK_INDEXES_SQL : LAYOUT4_LINK_INDEXES_SQL}
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5 (
  message, error_text, content = '', contentless_delete = 1, tokenize = 'unicode61'
);
CREATE TRIGGER IF NOT EXISTS events_fts_delete AFTER DELETE ON events BEGIN
  DELETE FROM events_fts WHERE rowid = old.seq;
END;
CREATE VIRTUAL TABLE IF NOT EXISTS fields_fts USING fts5 (
  tokens, content = '', contentless_delete = 1, detail = none
);
CREATE TRIGGER IF NOT EXISTS events_fields_delete AFTER DELETE ON events BEGIN
  DELETE FROM fields_fts WHERE rowid = old.seq;
END;
${ROLLUPS.map((r) => rollupSql(r.table, r.ms)).join('')}${FIELD_STATS_SQL}`;

/** The store's tables, layout {@link SCHEMA_VERSION}. */
export const SCHEMA_SQL = schemaSql('columns');

/**
 * Layout 4's tables: {@link SCHEMA_SQL} with expression indexes where layout 5 has the
 * {@link LINK_COLUMNS}. The upgrades of older layouts reach it first (`migrate.ts`).
 */
export const SCHEMA_V4_SQL = schemaSql('expressions');
