/** Version of the store's table layout, kept in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

/**
 * The store's tables: one row per event (the whole event as JSON in `doc`, plus the columns the
 * search API filters and sorts on), an FTS5 index over the message and the error text kept in
 * step by a trigger, and b-tree indexes for time, service, level and transaction id.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  seq            INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL UNIQUE,
  ts             INTEGER NOT NULL,
  level          TEXT    NOT NULL,
  level_num      INTEGER NOT NULL,
  service        TEXT    NOT NULL,
  transaction_id TEXT,
  trace_id       TEXT,
  message        TEXT    NOT NULL,
  error_text     TEXT    NOT NULL,
  doc            TEXT    NOT NULL
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
`;
