import type { ParsedQuery, QueryNode, RangeBound, RangeValue } from './query-ast.js';

/**
 * Writing queries: `formatQuery` prints a tree back as canonical query text (parse ∘ format is the
 * identity), `quoteValue` / `fieldClause` build clauses from values (facet and chip clicks) so that
 * a value with spaces, quotes, commas, `*` or parentheses stays one literal value. Pure and
 * dependency-free: the UI bundles it.
 */

/** Characters that end a bare value or change its meaning. */
const SPECIAL = /[\s"()\\,*]/;

/** `"…"` with `"` and `\` escaped. */
const quote = (v: string): string => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * A value as it must be written after `field:` to mean exactly that value: bare when that is
 * unambiguous, otherwise in double quotes (`"a b"`, `"say \"hi\""`, `"a,b"`, `"x*"`).
 */
export function quoteValue(value: string): string {
  if (
    value === '' ||
    SPECIAL.test(value) ||
    /^[<>[{]/.test(value) ||
    value === 'AND' ||
    value === 'OR' ||
    value === 'NOT'
  )
    return quote(value);
  return value;
}

/**
 * One clause matching events whose `field` has exactly `value` (`service.name:orders`,
 * `service.name:"my service"`), or, with `negate`, events without it (`-service.name:orders`).
 * `field` is a schema path or alias as shown in the UI (`service.name`, `attributes.order_id`).
 */
export function fieldClause(field: string, value: string, negate = false): string {
  return `${negate ? '-' : ''}${field}:${quoteValue(value)}`;
}

/** A free-text word as written: bare when it reads back as the same word, else quoted. */
function textWord(v: string): string {
  if (v === '' || /[\s"()*:<>]/.test(v) || v.startsWith('-') || v === 'AND' || v === 'OR' || v === 'NOT')
    return quote(v);
  return v;
}

function rangeValue(v: RangeValue): string {
  switch (v.type) {
    case 'number':
      return Object.is(v.value, -0) ? '-0' : String(v.value);
    case 'string':
      return /[\s"()\\\]}]/.test(v.value) || v.value === '' || v.value === '*' || v.value === 'TO'
        ? quote(v.value)
        : v.value;
    case 'time':
      return new Date(v.epochMs).toISOString();
    case 'relative':
      return v.amount === 0 ? 'now' : `now${v.amount < 0 ? '-' : '+'}${Math.abs(v.amount)}${v.unit}`;
  }
}

function range(field: string, lower: RangeBound | undefined, upper: RangeBound | undefined): string {
  if (lower && upper)
    return `${field}:${lower.inclusive ? '[' : '{'}${rangeValue(lower.value)} TO ${rangeValue(upper.value)}${upper.inclusive ? ']' : '}'}`;
  if (lower) return `${field}>${lower.inclusive ? '=' : ''}${rangeValue(lower.value)}`;
  if (upper) return `${field}<${upper.inclusive ? '=' : ''}${rangeValue(upper.value)}`;
  return `${field}:*`;
}

function print(n: QueryNode): string {
  switch (n.kind) {
    case 'all':
      return '*';
    case 'and':
      return n.children.map((c) => (c.kind === 'or' ? `(${print(c)})` : print(c))).join(' ');
    case 'or':
      return n.children.map(print).join(' OR ');
    case 'not':
      return `-${n.child.kind === 'and' || n.child.kind === 'or' ? `(${print(n.child)})` : print(n.child)}`;
    case 'term': {
      const star = n.prefix ? '*' : '';
      if (n.values.length === 1) return `${n.field}:${quoteValue(n.values[0] as string)}${star}`;
      // A list is written bare, so it only holds values that need no quotes (the parser's lists).
      return `${n.field}:${n.values.join(',')}${star}`;
    }
    case 'text': {
      if (n.field)
        return `${n.field}:${n.quoted ? quote(n.value) : quoteValue(n.value)}${n.prefix ? '*' : ''}`;
      return `${n.quoted ? quote(n.value) : textWord(n.value)}${n.prefix ? '*' : ''}`;
    }
    case 'range':
      return range(n.field, n.lower, n.upper);
    case 'exists':
      return `${n.field}:*`;
  }
}

/** Writes a parsed query back as canonical query text (shareable URLs, tests). */
export function formatQuery(q: ParsedQuery): string {
  return print(q.root);
}
