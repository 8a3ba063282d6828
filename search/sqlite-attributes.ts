import type Database from 'better-sqlite3';
import { attributeMatches, attributeToken, MAX_INDEXED_VALUE_CHARS } from '../sinks/sqlite/attributes.js';
import { fieldType } from './fields.js';
import type { TermNode } from './query-ast.js';
import { EVENTS_TABLE_LEAVES, type SqlContext, type SqlLeaves, termSql } from './sqlite-query.js';

/** The SQL function that checks a candidate of the attribute index against its stored event. */
const MATCH_FN = 'sluice_attr_match';

/**
 * Registers the functions the attribute lookups of {@link attributeLookup} call, on a connection
 * that searches the store. Idempotent.
 */
export function registerAttributeFunctions(db: Database.Database): void {
  db.function(MATCH_FN, { deterministic: true }, (doc: unknown, key: unknown, value: unknown) =>
    typeof doc === 'string' && typeof key === 'string' && typeof value === 'string'
      ? Number(attributeMatches(doc, key, value))
      : 0,
  );
}

/**
 * A subquery listing the rows (`seq`) whose `field` (`attributes.…`) has a leaf equal to `value`,
 * answered by the attribute index: `seq IN <sql>` (or `NOT IN`) in a condition over `events`.
 * Undefined when the index cannot answer (not an `attributes.` field, or a value too long to be
 * indexed): the caller scans instead.
 */
export function attributeLookup(
  field: string,
  value: string,
): { sql: string; params: (string | number)[] } | undefined {
  if (!field.startsWith('attributes.') || value.length > MAX_INDEXED_VALUE_CHARS) return undefined;
  const key = field.slice('attributes.'.length);
  if (key === '') return undefined;
  return {
    sql: `(SELECT e.seq FROM events e WHERE e.seq IN (SELECT rowid FROM attrs_fts WHERE attrs_fts MATCH ?) AND ${MATCH_FN}(e.doc, ?, ?))`,
    params: [`"${attributeToken(key, value)}"`, key, value],
  };
}

/**
 * `attributes.x:v` (and `attributes.x:a,b`) through the attribute index; prefixes and values it
 * does not hold go to the plain translation. Every part is 0 or 1, never NULL.
 */
function attributeTermSql(n: TermNode, ctx: SqlContext): string {
  if (n.prefix || fieldType(n.field) !== 'attribute') return termSql(n, ctx);
  const parts = n.values.map((v) => {
    const lookup = attributeLookup(n.field, v);
    if (!lookup) return termSql({ ...n, values: [v] }, ctx);
    ctx.params.push(...lookup.params);
    return `seq IN ${lookup.sql}`;
  });
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

/** The leaf translations for the store's own tables: the events table's, with the attribute index. */
export const STORE_LEAVES: SqlLeaves = { ...EVENTS_TABLE_LEAVES, term: attributeTermSql };
