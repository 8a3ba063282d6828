import type { Clause, ParsedQuery } from './query.js';

/** A SQL condition over the `events` table and its bound parameters (never interpolated). */
export interface SqlWhere {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** Schema paths that are real columns of the `events` table. */
const COLUMNS: Readonly<Record<string, string>> = {
  'service.name': 'service',
  'log.level': 'level',
  'transaction.id': 'transaction_id',
  'trace.id': 'trace_id',
  'event.id': 'id',
};

/**
 * Quotes a user's word for an FTS5 MATCH expression: a string in double quotes (inner quotes
 * doubled) is always a plain phrase to FTS5, so no operator, column filter or syntax error can
 * come from user input. `prefix` appends FTS5's prefix marker outside the quotes.
 */
export function ftsPhrase(value: string, prefix: boolean): string {
  return `"${value.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
}

/** True when FTS5's unicode61 tokenizer finds at least one token in `value` (letters or digits). */
const hasTokens = (value: string): boolean => /[\p{L}\p{N}]/u.test(value);

/** JSON path for `json_extract` from a validated dotted field name (`$."a"."b"`). */
export const jsonPath = (field: string): string =>
  `$${field
    .split('.')
    .map((s) => `."${s}"`)
    .join('')}`;

function fieldCondition(c: Extract<Clause, { kind: 'field' }>, params: (string | number)[]): string {
  if (c.field === 'message') {
    const terms = c.values.filter(hasTokens).map((v) => ftsPhrase(v, c.prefix));
    if (terms.length === 0) return c.negate ? '1' : '0';
    params.push(`message : (${terms.join(' OR ')})`);
    return `seq ${c.negate ? 'NOT IN' : 'IN'} (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)`;
  }
  const column = COLUMNS[c.field];
  const values = c.field === 'log.level' ? c.values.map((v) => v.toLowerCase()) : c.values;
  const expr = column ?? 'CAST(json_extract(doc, ?) AS TEXT)';
  const parts: string[] = [];
  for (const v of values) {
    if (!column) params.push(jsonPath(c.field));
    if (c.prefix) {
      parts.push(`substr(${expr}, 1, ?) = ?`);
      params.push(v.length, v);
    } else if (!column && (v === 'true' || v === 'false')) {
      // json_extract gives 1/0 for JSON booleans.
      parts.push(`${expr} IN (?, ?)`);
      params.push(v, v === 'true' ? '1' : '0');
    } else {
      parts.push(`${expr} = ?`);
      params.push(v);
    }
  }
  const any = parts.length === 1 ? (parts[0] ?? '0') : `(${parts.join(' OR ')})`;
  return c.negate ? `NOT coalesce(${any}, 0)` : any;
}

/**
 * Builds the WHERE condition for a parsed query and a time range. Free-text words are matched
 * with FTS5 against the message and the error text; field filters use indexed columns or
 * `json_extract` on the stored event. Every user value is a bound parameter. Pure.
 */
export function buildSqliteWhere(q: ParsedQuery, range: { from?: number; to?: number }): SqlWhere {
  const conds: string[] = [];
  const params: (string | number)[] = [];
  if (range.from !== undefined) {
    conds.push('ts >= ?');
    params.push(range.from);
  }
  if (range.to !== undefined) {
    conds.push('ts < ?');
    params.push(range.to);
  }
  const positive: string[] = [];
  for (const c of q.clauses) {
    if (c.kind === 'field') {
      conds.push(fieldCondition(c, params));
      continue;
    }
    if (!hasTokens(c.value)) {
      // Nothing FTS5 can index (punctuation only): cannot match; its negation always holds.
      if (!c.negate) conds.push('0');
      continue;
    }
    const phrase = ftsPhrase(c.value, c.prefix);
    if (c.negate) {
      conds.push('seq NOT IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
      params.push(phrase);
    } else positive.push(phrase);
  }
  if (positive.length > 0) {
    conds.push('seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
    params.push(positive.join(' AND '));
  }
  return { sql: conds.length === 0 ? '1' : conds.join(' AND '), params };
}
