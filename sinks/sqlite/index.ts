export { SQLITE_ERROR_CODES, SqliteStoreError } from './errors.js';
export { type EventRow, levelNumber, toRow } from './row.js';
export {
  openSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
} from './store.js';
