import { LINK_COLUMNS } from '../sinks/sqlite/schema.js';
import { fieldType, ID_LOOKUP_FIELDS } from './fields.js';
import {
  type ExistsNode,
  idShaped,
  type ParsedQuery,
  type QueryNode,
  type RangeNode,
  resolveRangeValue,
  type TermNode,
  type TextNode,
} from './query-ast.js';
import { liveTerm } from './sqlite-live.js';

/** A SQL condition over the `events` table and its bound parameters (never interpolated). */
export interface SqlWhere {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** What a leaf translation appends its parameters to, and the time relative times count from. */
export interface SqlContext {
  readonly params: (string | number)[];
  readonly now: number;
}

/**
 * One translation per leaf kind. Each returns a condition that is 1 when the leaf holds and 0 or
 * NULL when not (`NOT` turns NULL into 0 first, so it keeps events without the field, as
 * OpenSearch's `must_not` does; a plain `=` lets SQLite use partial indexes). A store with other tables
 * (an attribute index, rollups) passes its own for the kinds it answers differently.
 */
export interface SqlLeaves {
  term(n: TermNode, ctx: SqlContext): string;
  text(n: TextNode, ctx: SqlContext): string;
  range(n: RangeNode, ctx: SqlContext): string;
  exists(n: ExistsNode, ctx: SqlContext): string;
}

/** Schema paths that are real columns of the `events` table (the NOT NULL ones first). */
const COLUMNS: Readonly<Record<string, string>> = {
  'service.name': 'service',
  'log.level': 'level',
  'event.id': 'id',
  'transaction.id': 'transaction_id',
  'trace.id': 'trace_id',
};
const NOT_NULL = new Set(['service', 'level', 'id']);
/**
 * JSON paths the store also keeps in an indexed column (`LINK_COLUMNS` in
 * `sinks/sqlite/schema.ts`), which holds what `json_extract(doc, path)` gives.
 */
const JSON_INDEXED: Readonly<Record<string, string>> = Object.fromEntries(
  LINK_COLUMNS.map((c) => [c.field, c.column]),
);
/** Schema keyword fields that hold a list (a term matches any element). */
const ARRAY_FIELDS = new Set(['redaction.rules']);

/** JSON path for `json_extract` from a validated dotted field name (`$."a"."b"`). */
export const jsonPath = (field: string): string =>
  `$${field
    .split('.')
    .map((s) => `."${s}"`)
    .join('')}`;

/**
 * Quotes text for an FTS5 MATCH expression: a string in double quotes (inner quotes doubled) is
 * always a plain phrase to FTS5, so no operator, column filter or syntax error can come from user
 * input. `prefix` appends FTS5's prefix marker (it applies to the phrase's last token).
 */
export function ftsPhrase(value: string, prefix: boolean): string {
  return `"${value.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
}

/**
 * A JSON value as the text OpenSearch's `flat_object` keeps it (`true`, `42`, `ord-1`), one row per
 * element when the value is an array: the values a term or a string range on `attributes.*` and
 * other JSON-only fields compares.
 */
const jsonValues = (where: string): string =>
  `EXISTS (SELECT 1 FROM json_each(events.doc, ?) WHERE type NOT IN ('object', 'array', 'null') AND ${where})`;
const JSON_TEXT = `(CASE type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(value AS TEXT) END)`;

/**
 * The SQL functions (`registerAttributeFunctions`) that read an `attributes.*` key by the
 * flattening of the attribute index (`sinks/sqlite/attributes.ts`), in every form it can be
 * stored in: `attributes.a.b` is `{"a":{"b":…}}`, `{"a.b":…}` and, for values, `{"a":[{"b":…}]}`.
 */
export const ATTRIBUTE_FNS = {
  term: 'sluice_attr_term',
  present: 'sluice_attr_present',
} as const;

/**
 * The key under `attributes` of an `attributes.*` field whose key has a dot (a JSON path reads one
 * of its stored forms only, so it is read by {@link ATTRIBUTE_FNS}); undefined for other fields,
 * whose one JSON path is every form.
 */
function dottedAttribute(field: string): string | undefined {
  if (fieldType(field) !== 'attribute') return undefined;
  const key = field.slice('attributes.'.length);
  return key.includes('.') ? key : undefined;
}

/** True when JSON writes `v` inside a string as it is (no quote, backslash, control character or lone surrogate). */
export const jsonVerbatim = (v: string): boolean => v.length > 0 && JSON.stringify(v) === `"${v}"`;

/**
 * A test that every event holding the attribute `key` (with a dot) in a form other than the nested
 * one passes: its text has a key joining two of the key's parts (`deep.v`) or, when `arrays`
 * (values are read through arrays of objects), an array under one of the key's parts. So the
 * SQL function reads only such events; the nested form is read by the JSON path first. Empty when
 * a part is not written verbatim in JSON.
 */
function otherForms(key: string, arrays: boolean, ctx: SqlContext): string {
  const parts = key.split('.');
  if (!parts.every(jsonVerbatim)) return '';
  const tests: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    tests.push('instr(doc, ?) > 0');
    ctx.params.push(`${parts[i - 1]}.${parts[i]}`);
  }
  // The document is compact JSON (`JSON.stringify`): an array under a key is written `"key":[`.
  if (arrays)
    for (let i = 1; i < parts.length; i++) {
      tests.push('instr(doc, ?) > 0');
      ctx.params.push(`"${parts[i - 1]}":[`);
    }
  return `(${tests.join(' OR ')}) AND `;
}

/** `field:value`, `field:a,b`, `field:pre*`. */
export function termSql(n: TermNode, ctx: SqlContext): string {
  const column = COLUMNS[n.field];
  const type = fieldType(n.field);
  const plain = (v: string): string => {
    if (column) {
      // `=` (not IS) so the partial indexes (`WHERE transaction_id IS NOT NULL`) apply.
      if (!n.prefix) {
        ctx.params.push(v);
        return `${column} = ?`;
      }
      ctx.params.push(v.length, v);
      return `substr(${column}, 1, ?) = ?`;
    }
    const indexed = JSON_INDEXED[n.field];
    if (indexed && !n.prefix) {
      // The column's partial index answers it.
      ctx.params.push(v);
      return `${indexed} = ?`;
    }
    if (type === 'number' || type === 'boolean') {
      ctx.params.push(jsonPath(n.field), type === 'number' ? Number(v) : v === 'true' ? 1 : 0);
      return `coalesce(json_extract(doc, ?) = ?, 0)`;
    }
    if (type === 'keyword' && !ARRAY_FIELDS.has(n.field)) {
      // A single string in the schema: one json_extract (cheaper than walking it with json_each).
      ctx.params.push(jsonPath(n.field));
      if (!n.prefix) {
        ctx.params.push(v);
        return `json_extract(doc, ?) IS ?`;
      }
      ctx.params.push(v.length, v);
      return `substr(json_extract(doc, ?), 1, ?) IS ?`;
    }
    ctx.params.push(jsonPath(n.field));
    // An attribute's values are its leaves and an array's: not an object's members (as the index).
    const leaves = type === 'attribute' ? `typeof(key) <> 'text' AND ` : '';
    if (n.prefix) {
      ctx.params.push(v.length, v);
      return jsonValues(`${leaves}substr(${JSON_TEXT}, 1, ?) = ?`);
    }
    ctx.params.push(v);
    return jsonValues(`${leaves}${JSON_TEXT} = ?`);
  };
  const dotted = dottedAttribute(n.field);
  const one = (v: string): string => {
    if (dotted === undefined) return plain(v);
    // The nested form by its JSON path, then the other forms by the function.
    const nested = plain(v);
    const others = otherForms(dotted, true, ctx);
    ctx.params.push(dotted, v, n.prefix ? 1 : 0);
    return `(${nested} OR (${others}${ATTRIBUTE_FNS.term}(doc, ?, ?, ?)))`;
  };
  return or(n.values.map(one));
}

/** The FTS5 column filter for a text field (free text: every indexed column). */
const FTS_COLUMN: Readonly<Record<string, string>> = {
  message: 'message',
  'error.message': 'error_text',
  'error.stack_trace': 'error_text',
};

/**
 * Text: tokens matched case-insensitively by FTS5 (`unicode61`), the last as a prefix unless the
 * text was quoted without `*` — so `timeout` finds `TimeoutError`. A bare id-shaped word is also
 * looked up in the id fields.
 */
export function textSql(n: TextNode, ctx: SqlContext): string {
  const column = n.field ? FTS_COLUMN[n.field] : undefined;
  const phrase = ftsPhrase(n.value, n.prefix || !n.quoted);
  ctx.params.push(column ? `${column} : ${phrase}` : phrase);
  const fts = `seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND ${liveTerm('rowid')})`;
  if (n.field || n.quoted || n.prefix || !idShaped(n.value)) return fts;
  return or([
    fts,
    ...ID_LOOKUP_FIELDS.map((field) =>
      termSql({ kind: 'term', field, values: [n.value], prefix: false }, ctx),
    ),
  ]);
}

const OPS = { lower: ['>', '>='], upper: ['<', '<='] } as const;

/**
 * `field>v`, `field<=v`, `field:[a TO b]`: numbers as numbers, times as times, else as text. An
 * `attributes.*` key with a dot is read in its nested form only (`{"a":{"b":…}}`), the form the
 * number rollups count (`sinks/sqlite/field-index.ts`).
 */
export function rangeSql(n: RangeNode, ctx: SqlContext): string {
  const parts: string[] = [];
  const type = fieldType(n.field);
  for (const side of ['lower', 'upper'] as const) {
    const b = n[side];
    if (!b) continue;
    const op = OPS[side][b.inclusive ? 1 : 0];
    const v = resolveRangeValue(b.value, ctx.now);
    if (n.field === '@timestamp') {
      parts.push(`ts ${op} ?`);
      ctx.params.push(v);
    } else if (type === 'time') {
      // Stored as ISO 8601 with ms in UTC: ordered as text.
      parts.push(`coalesce(json_extract(doc, ?) ${op} ?, 0)`);
      ctx.params.push(jsonPath(n.field), new Date(v).toISOString());
    } else if (COLUMNS[n.field]) {
      parts.push(`coalesce(${COLUMNS[n.field]} ${op} ?, 0)`);
      ctx.params.push(String(v));
    } else if (type === 'number') {
      parts.push(`coalesce(json_extract(doc, ?) ${op} ?, 0)`);
      ctx.params.push(jsonPath(n.field), v);
    } else if (typeof v === 'number') {
      parts.push(jsonValues(`type IN ('integer', 'real') AND value ${op} ?`));
      ctx.params.push(jsonPath(n.field), v);
    } else {
      parts.push(jsonValues(`${JSON_TEXT} ${op} ?`));
      ctx.params.push(jsonPath(n.field), v);
    }
  }
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
}

/** `field:*`: the field is present (not null). */
export function existsSql(n: ExistsNode, ctx: SqlContext): string {
  const column = COLUMNS[n.field];
  if (column) return NOT_NULL.has(column) ? '1' : `${column} IS NOT NULL`;
  const dotted = dottedAttribute(n.field);
  ctx.params.push(jsonPath(n.field));
  const nested = `coalesce(json_type(doc, ?) NOT IN ('null'), 0)`;
  if (dotted === undefined) return nested;
  // The nested form by its JSON path, then the other forms by the function.
  const others = otherForms(dotted, false, ctx);
  ctx.params.push(dotted);
  return `(${nested} OR (${others}${ATTRIBUTE_FNS.present}(doc, ?)))`;
}

/** The translations of the plain `events` table. */
export const EVENTS_TABLE_LEAVES: SqlLeaves = {
  term: termSql,
  text: textSql,
  range: rangeSql,
  exists: existsSql,
};

const or = (parts: string[]): string =>
  parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;

function nodeSql(n: QueryNode, ctx: SqlContext, leaves: SqlLeaves): string {
  switch (n.kind) {
    case 'all':
      return '1';
    case 'and':
      return `(${n.children.map((c) => nodeSql(c, ctx, leaves)).join(' AND ')})`;
    case 'or':
      return or(n.children.map((c) => nodeSql(c, ctx, leaves)));
    case 'not':
      // A leaf may be NULL when the event lacks the field; NOT of it must hold (as must_not does).
      return `NOT coalesce(${nodeSql(n.child, ctx, leaves)}, 0)`;
    case 'term':
      return leaves.term(n, ctx);
    case 'text':
      return leaves.text(n, ctx);
    case 'range':
      return leaves.range(n, ctx);
    case 'exists':
      return leaves.exists(n, ctx);
  }
}

/**
 * Builds the WHERE condition for a parsed query and a time range (`from` inclusive, `to`
 * exclusive, epoch ms). Every user value is a bound parameter; relative times (`now-5m`) count
 * from `now`. Pure.
 */
export function buildSqliteWhere(
  q: ParsedQuery,
  range: { from?: number; to?: number },
  opts: { now?: number; leaves?: SqlLeaves } = {},
): SqlWhere {
  const ctx: SqlContext = { params: [], now: opts.now ?? Date.now() };
  const conds: string[] = [];
  if (range.from !== undefined) {
    conds.push('ts >= ?');
    ctx.params.push(range.from);
  }
  if (range.to !== undefined) {
    conds.push('ts < ?');
    ctx.params.push(range.to);
  }
  if (q.root.kind !== 'all') conds.push(nodeSql(q.root, ctx, opts.leaves ?? EVENTS_TABLE_LEAVES));
  return { sql: conds.length === 0 ? '1' : conds.join(' AND '), params: ctx.params };
}
