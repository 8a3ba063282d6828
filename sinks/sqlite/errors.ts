import { SluiceError } from '../../core/errors.js';

/** Stable codes of the embedded store's errors. */
export const SQLITE_ERROR_CODES = {
  open: 'SQLITE_STORE_OPEN_FAILED',
  badEvent: 'SQLITE_STORE_BAD_EVENT',
  closed: 'SQLITE_STORE_CLOSED',
  version: 'SQLITE_STORE_NEWER_LAYOUT',
  writerLost: 'SQLITE_STORE_WRITER_LOST',
  writeFailed: 'SQLITE_STORE_WRITE_FAILED',
} as const;

/** Raised by the embedded SQLite store. Messages never echo event content. */
export class SqliteStoreError extends SluiceError {}
