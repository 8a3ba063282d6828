import { MAX_TOKEN_CHARS } from '../sinks/opensearch/template.js';
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

/** An OpenSearch query DSL object (built structurally, never as a query string). */
export type DslQuery = Record<string, unknown>;

/**
 * Fields free text searches, as indexed by the Sluice template with the `sluice_text` analyzer
 * (the same tokens as the SQLite store's FTS5 `unicode61`: letters and digits, lower-cased,
 * accents removed): the message and the error's type, message and stack trace.
 */
const FREE_TEXT_FIELDS = ['message', 'error.type.text', 'error.message', 'error.stack_trace'];

/**
 * The tokens `sluice_text` makes of a text (split at anything but letters and digits, lower-cased,
 * accents removed), so prefix and span queries — which OpenSearch does not analyze — see the terms
 * that are in the index.
 */
export function textTokens(value: string): string[] {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .map((t) => t.slice(0, MAX_TOKEN_CHARS));
}

const any = (qs: DslQuery[]): DslQuery =>
  qs.length === 1 ? (qs[0] as DslQuery) : { bool: { should: qs, minimum_should_match: 1 } };

/** `field:value`, `field:a,b`, `field:pre*` (keyword, number, boolean and `attributes.*` fields). */
export function termDsl(n: TermNode): DslQuery {
  const type = fieldType(n.field);
  if (n.prefix) return any(n.values.map((v) => ({ prefix: { [n.field]: { value: v } } })));
  const values = n.values.map((v) => (type === 'number' ? Number(v) : type === 'boolean' ? v === 'true' : v));
  return values.length === 1
    ? { term: { [n.field]: { value: values[0] } } }
    : { terms: { [n.field]: values } };
}

/** One text field: the tokens in order, the last as a prefix unless quoted without `*`. */
function textOnField(field: string, n: TextNode): DslQuery {
  const tokens = textTokens(n.value);
  const prefix = n.prefix || !n.quoted;
  const last = tokens.length - 1;
  if (tokens.length === 0) return { match_none: {} };
  if (tokens.length === 1)
    return prefix
      ? { prefix: { [field]: { value: tokens[0] } } }
      : { term: { [field]: { value: tokens[0] } } };
  return {
    span_near: {
      clauses: tokens.map((t, i) =>
        i === last && prefix
          ? { span_multi: { match: { prefix: { [field]: { value: t } } } } }
          : { span_term: { [field]: { value: t } } },
      ),
      slop: 0,
      in_order: true,
    },
  };
}

/**
 * Text: the same token matching as the SQLite store (`timeout` finds `TimeoutError`); a bare
 * id-shaped word is also looked up in the id fields.
 */
export function textDsl(n: TextNode): DslQuery {
  const fields = n.field ? [n.field] : FREE_TEXT_FIELDS;
  const text = fields.map((f) => textOnField(f, n));
  if (n.field || n.quoted || n.prefix || !idShaped(n.value)) return any(text);
  return any([...text, ...ID_LOOKUP_FIELDS.map((field) => ({ term: { [field]: { value: n.value } } }))]);
}

/**
 * `field>v`, `field:[a TO b]`. Times as epoch ms; numbers as numbers; `attributes.*` are kept as
 * keywords by `flat_object`, so a numeric bound on them is checked by a script that reads the
 * value as a number (its parameters are values, never code).
 */
export function rangeDsl(n: RangeNode, now: number): DslQuery {
  const r: Record<string, unknown> = {};
  let numericAttribute = false;
  for (const side of ['lower', 'upper'] as const) {
    const b = n[side];
    if (!b) continue;
    const v = resolveRangeValue(b.value, now);
    if (typeof v === 'number' && fieldType(n.field) === 'attribute') numericAttribute = true;
    r[side === 'lower' ? (b.inclusive ? 'gte' : 'gt') : b.inclusive ? 'lte' : 'lt'] = v;
  }
  if (numericAttribute) return numericAttributeRange(n.field, r);
  if (fieldType(n.field) === 'time') r.format = 'epoch_millis';
  return { range: { [n.field]: r } };
}

/**
 * A numeric range on an `attributes.*` value. `flat_object` indexes `<path>=<value>` keywords in
 * `attributes._valueAndPath` (doc values); the script finds this path's values and compares the
 * ones written as numbers, as SQLite compares JSON numbers (`flat_object` keeps no types, so a
 * number sent as a JSON string also compares here; on SQLite it does not).
 */
function numericAttributeRange(field: string, r: Record<string, unknown>): DslQuery {
  return {
    bool: {
      filter: [
        existsDsl({ kind: 'exists', field }),
        {
          script: {
            script: {
              lang: 'painless',
              source: NUMERIC_ATTRIBUTE_SCRIPT,
              // OpenSearch 2.x writes the root name twice (`attributes.attributes.x=1`); both forms are read.
              params: {
                keys: [`attributes.${field}=`, `${field}=`],
                gt: r.gt,
                gte: r.gte,
                lt: r.lt,
                lte: r.lte,
              },
            },
          },
        },
      ],
    },
  };
}

const NUMERIC_ATTRIBUTE_SCRIPT = `
def vs = doc['attributes._valueAndPath'];
for (int i = 0; i < vs.size(); ++i) {
  String s = vs.get(i);
  int n = -1;
  for (String k : params.keys) { if (s.length() > k.length() && s.startsWith(k)) { n = k.length(); } }
  if (n < 0) { continue; }
  String t = s.substring(n);
  boolean numeric = true;
  for (int j = 0; j < t.length(); ++j) {
    char c = t.charAt(j);
    boolean sign = (c == (char) '-' || c == (char) '+') && (j == 0 || t.charAt(j - 1) == (char) 'e' || t.charAt(j - 1) == (char) 'E');
    if (!(Character.isDigit(c) || c == (char) '.' || c == (char) 'e' || c == (char) 'E' || sign)) { numeric = false; }
  }
  if (!numeric || !Character.isDigit(t.charAt(t.length() - 1))) { continue; }
  double d = Double.parseDouble(t);
  if ((params.gt == null || d > params.gt) && (params.gte == null || d >= params.gte)
      && (params.lt == null || d < params.lt) && (params.lte == null || d <= params.lte)) { return true; }
}
return false;`;

/**
 * `field:*`: the field is present. On `attributes.*`, `exists` finds objects and top-level values
 * but not a nested leaf (`attributes.http.status`: OpenSearch 2.19's flat_object answers none), so
 * an empty prefix — which every value of that path has — is asked too.
 */
export function existsDsl(n: ExistsNode): DslQuery {
  if (fieldType(n.field) !== 'attribute') return { exists: { field: n.field } };
  return any([{ exists: { field: n.field } }, { prefix: { [n.field]: { value: '' } } }]);
}

function nodeDsl(n: QueryNode, now: number): DslQuery {
  switch (n.kind) {
    case 'all':
      return { match_all: {} };
    case 'and':
      return { bool: { filter: n.children.map((c) => nodeDsl(c, now)) } };
    case 'or':
      return { bool: { should: n.children.map((c) => nodeDsl(c, now)), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [nodeDsl(n.child, now)] } };
    case 'term':
      return termDsl(n);
    case 'text':
      return textDsl(n);
    case 'range':
      return rangeDsl(n, now);
    case 'exists':
      return existsDsl(n);
  }
}

/**
 * Builds the query for a parsed query and a time range (`from` inclusive, `to` exclusive, epoch
 * ms): structured `term`/`prefix`/`span_near`/`range`/`exists` clauses in `bool`s. User values
 * only ever appear as values, so no query-string syntax can be injected. Relative times count
 * from `now`. Pure.
 */
export function buildOpenSearchQuery(
  q: ParsedQuery,
  range: { from?: number; to?: number },
  now: number = Date.now(),
): DslQuery {
  const filter: DslQuery[] = [];
  if (range.from !== undefined || range.to !== undefined) {
    const r: Record<string, unknown> = { format: 'epoch_millis' };
    if (range.from !== undefined) r.gte = range.from;
    if (range.to !== undefined) r.lt = range.to;
    filter.push({ range: { '@timestamp': r } });
  }
  if (q.root.kind !== 'all') filter.push(nodeDsl(q.root, now));
  return { bool: { filter } };
}
