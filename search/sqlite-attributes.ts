import type Database from 'better-sqlite3';
import {
  attributeMatches,
  attributePresent,
  attributeTermMatches,
  attributeToken,
  MAX_INDEXED_VALUE_CHARS,
} from '../sinks/sqlite/attributes.js';
import {
  bucketsBetween,
  EXISTS_FIELDS,
  existsToken,
  NUMBER_FIELDS,
  numberToken,
  TERM_FIELDS,
  termToken,
} from '../sinks/sqlite/field-index.js';
import { fieldType } from './fields.js';
import type { ExistsNode, RangeNode, TermNode } from './query-ast.js';
import { liveTerm } from './sqlite-live.js';
import {
  ATTRIBUTE_FNS,
  EVENTS_TABLE_LEAVES,
  existsSql,
  jsonVerbatim,
  rangeSql,
  type SqlContext,
  type SqlLeaves,
  termSql,
} from './sqlite-query.js';

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
  // The plain translation's reads of an `attributes.*` key with a dot (`sqlite-query.ts`).
  db.function(
    ATTRIBUTE_FNS.term,
    { deterministic: true },
    (doc: unknown, key: unknown, value: unknown, prefix: unknown) =>
      typeof doc === 'string' && typeof key === 'string' && typeof value === 'string'
        ? Number(attributeTermMatches(doc, key, value, prefix === 1))
        : 0,
  );
  db.function(ATTRIBUTE_FNS.present, { deterministic: true }, (doc: unknown, key: unknown) =>
    typeof doc === 'string' && typeof key === 'string' ? Number(attributePresent(doc, key)) : 0,
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
    // Both loops have the stop check: checking a dense value's candidates reads each one's event.
    sql: `(SELECT e.seq FROM events e WHERE ${liveTerm('e.seq')} AND e.seq IN (SELECT rowid FROM fields_fts WHERE fields_fts MATCH ? AND ${liveTerm('rowid')}) AND ${MATCH_FN}(e.doc, ?, ?))`,
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

/** Row numbers `lo`…`hi`: every event of a time range has one of them (`rangeInWindow`). */
export interface SeqWindow {
  readonly lo: number;
  readonly hi: number;
}

/**
 * The rows whose field index entry has any of `tokens`: `seq IN (…)` in a condition over `events`;
 * with `window`, only the index entries of those row numbers are read (FTS5 seeks to them).
 */
function fieldIndex(tokens: readonly string[], ctx: SqlContext, window?: SeqWindow): string {
  ctx.params.push(tokens.map((t) => `"${t}"`).join(' OR '));
  if (!window)
    return `seq IN (SELECT rowid FROM fields_fts WHERE fields_fts MATCH ? AND ${liveTerm('rowid')})`;
  ctx.params.push(window.lo, window.hi);
  return `seq IN (SELECT rowid FROM fields_fts WHERE fields_fts MATCH ? AND rowid BETWEEN ? AND ? AND ${liveTerm('rowid')})`;
}

/**
 * Terms: `attributes.*` through their tokens; the string and boolean fields held only in `doc`
 * through the field index, each candidate checked by the plain translation (so a hash collision
 * never shows); prefixes, numbers and the rest by the plain translation.
 */
function storeTermSql(n: TermNode, ctx: SqlContext): string {
  const type = fieldType(n.field);
  if (type === 'attribute') return attributeTermSql(n, ctx);
  const indexed = !n.prefix && TERM_FIELDS.has(n.field);
  if (!indexed) return termSql(n, ctx);
  const parts = n.values.map((v) => {
    const one = { ...n, values: [v] };
    if (v.length > MAX_INDEXED_VALUE_CHARS || (type === 'boolean' && v !== 'true' && v !== 'false'))
      return termSql(one, ctx);
    return `(${fieldIndex([termToken(n.field, v)], ctx)} AND ${termSql(one, ctx)})`;
  });
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

/** `field:*` through the field index for `attributes.*` and the schema fields it has a token for. */
function storeExistsSql(n: ExistsNode, ctx: SqlContext): string {
  if (fieldType(n.field) !== 'attribute' && !EXISTS_FIELDS.has(n.field)) return existsSql(n, ctx);
  return `(${fieldIndex([existsToken(n.field)], ctx)} AND ${existsSql(n, ctx)})`;
}

/**
 * A range with number bounds on a number field or `attributes.*`: the field index's buckets that
 * the range spans give the candidates, the plain translation checks each.
 */
function storeRangeSql(n: RangeNode, ctx: SqlContext, window?: SeqWindow): string {
  const type = fieldType(n.field);
  const bounds = [n.lower, n.upper].filter((b) => b !== undefined);
  const numeric = bounds.every((b) => b.value.type === 'number');
  if (!numeric || (type !== 'attribute' && !NUMBER_FIELDS.has(n.field))) return rangeSql(n, ctx);
  const num = (b: RangeNode['lower']) => (b?.value.type === 'number' ? b.value.value : undefined);
  const tokens = bucketsBetween(num(n.lower), num(n.upper)).map((b) => numberToken(n.field, b));
  return `(${fieldIndex(tokens, ctx, window)} AND ${rangeSql(n, ctx)})`;
}

/**
 * A number range through the field index's entries of the row numbers `window` only: in a
 * condition that also holds the time range whose events all have row numbers in `window`, the
 * same events match as with the whole index (`STORE_LEAVES`), from fewer candidates.
 */
export const rangeInWindow =
  (window: SeqWindow) =>
  (n: RangeNode, ctx: SqlContext): string =>
    storeRangeSql(n, ctx, window);

/**
 * The leaf translations for the store's own tables: the events table's, with the field index
 * (`fields_fts`) for attributes, the fields held only in `doc`, `field:*` and number ranges.
 */
export const STORE_LEAVES: SqlLeaves = {
  ...EVENTS_TABLE_LEAVES,
  term: storeTermSql,
  exists: storeExistsSql,
  range: (n, ctx) => storeRangeSql(n, ctx),
};

/**
 * `attributes.x:v` checked on the event itself (`sluice_attr_match`, the check the attribute
 * index's candidates get), without the index: for a walk that reads each event of a time range
 * anyway, so no list of the index's candidates (each read and checked) is built before it starts.
 */
function walkTermSql(n: TermNode, ctx: SqlContext): string {
  if (fieldType(n.field) !== 'attribute') return termSql(n, ctx);
  const key = n.field.slice('attributes.'.length);
  const parts = n.values.map((v) => {
    const one = { ...n, values: [v] };
    // The stored document is the event's JSON text: a value (or prefix) that JSON writes as it is
    // appears in it verbatim, so a plain search of the text drops most events before the check.
    const verbatim = inText(v) && (!n.prefix || !NUMBER_TEXT.test(v));
    const seen = verbatim ? 'instr(doc, ?) > 0 AND ' : '';
    if (verbatim) ctx.params.push(v);
    if (n.prefix || key === '' || v.length > MAX_INDEXED_VALUE_CHARS) return `(${seen}${termSql(one, ctx)})`;
    ctx.params.push(key, v);
    return `(${seen}${MATCH_FN}(doc, ?, ?))`;
  });
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

/**
 * True when an attribute value equal to or starting with `v` appears verbatim in the stored
 * document (`jsonVerbatim`). Numbers and booleans are written as their text too.
 */
const inText = jsonVerbatim;
/**
 * A prefix made only of characters of a number's text: SQLite's text of a stored number (what a
 * prefix is compared with) may differ from the document's (`1.0e+21` for `1e+21`), so such a
 * prefix is not searched in the text.
 */
const NUMBER_TEXT = /^[0-9.eE+-]*$/;

/**
 * The leaf translations of a walk's test (`walkPass`, `walkPage`): each event of the range is read
 * anyway, so every leaf is checked on it — the same conditions the store's indexes' candidates are
 * checked with (`STORE_LEAVES`), so the same events match — except free text, which only the
 * full-text index answers.
 */
export const WALK_LEAVES: SqlLeaves = { ...EVENTS_TABLE_LEAVES, term: walkTermSql };
