import type Database from 'better-sqlite3';
import { jsonExtractSql, LINK_COLUMNS } from './schema.js';

const FIELD_OF: ReadonlyMap<string, string> = new Map(LINK_COLUMNS.map((c) => [c.column, c.field]));
/** A link column in a statement, with the alias of its table when it has one (`l.faas_execution`). */
const LINK_COLUMN = new RegExp(
  `\\b(?:([a-z_]+)\\.)?(${LINK_COLUMNS.map((c) => c.column).join('|')})\\b`,
  'g',
);

const hasEvents = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'events'").get() !== undefined;

/**
 * The connection a search reads a store through. A store of layout 5 or later (or none yet): `db` itself. A
 * store of an older layout opened by a reader that does not upgrade it (`sluice search` opens the
 * file read-only, and a store written by an older `sluice start` keeps its layout until that opens
 * it again): `db` with each statement's link columns (`LINK_COLUMNS` in `schema.ts`, which such a
 * store does not have) written as the `json_extract(doc, …)` that layouts 2–4 kept an expression
 * index on, which then answers the same lookups. The statements are the search's own text (every
 * user value is a bound parameter), so no user input is rewritten.
 */
export function readerOf(db: Database.Database): Database.Database {
  // By the layout, not the columns: an upgrade from layout 4 adds them empty, fills them step by
  // step, and only then sets the layout (`migrate.ts`).
  if ((db.pragma('user_version', { simple: true }) as number) >= 5 || !hasEvents(db)) return db;
  const rewrite = (sql: string): string =>
    sql.replace(LINK_COLUMN, (_all, table: string | undefined, column: string) =>
      jsonExtractSql(FIELD_OF.get(column) ?? '', table ? `${table}.` : ''),
    );
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (sql: string) => target.prepare(rewrite(sql));
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
