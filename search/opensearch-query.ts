import type { Clause, ParsedQuery } from './query.js';

/** An OpenSearch query DSL object (built structurally, never as a query string). */
export type DslQuery = Record<string, unknown>;

/** Fields mapped as `text` in the Sluice template: matched as phrases, not as exact terms. */
const TEXT_FIELDS = new Set(['message', 'error.message', 'error.stack_trace']);
/** Fields free text searches (the SQLite store's FTS covers the same text). */
const FREE_TEXT_FIELDS = ['message', 'error.message', 'error.type'];

function fieldQuery(c: Extract<Clause, { kind: 'field' }>): DslQuery {
  const values = c.field === 'log.level' ? c.values.map((v) => v.toLowerCase()) : c.values;
  const one = (v: string): DslQuery => {
    if (TEXT_FIELDS.has(c.field)) {
      return c.prefix
        ? { match_phrase_prefix: { [c.field]: { query: v } } }
        : { match_phrase: { [c.field]: { query: v } } };
    }
    return c.prefix ? { prefix: { [c.field]: { value: v } } } : { term: { [c.field]: { value: v } } };
  };
  return values.length === 1
    ? one(values[0]!)
    : { bool: { should: values.map(one), minimum_should_match: 1 } };
}

function textQuery(c: Extract<Clause, { kind: 'text' }>): DslQuery {
  if (c.phrase || c.prefix) {
    return {
      multi_match: {
        query: c.value,
        type: c.prefix ? 'phrase_prefix' : 'phrase',
        fields: FREE_TEXT_FIELDS.filter((f) => TEXT_FIELDS.has(f)),
      },
    };
  }
  return {
    bool: {
      should: [
        {
          multi_match: {
            query: c.value,
            type: 'phrase',
            fields: FREE_TEXT_FIELDS.filter((f) => TEXT_FIELDS.has(f)),
          },
        },
        { term: { 'error.type': { value: c.value } } },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * Builds a `bool` query for a parsed query and a time range: exact `term`s on keyword fields
 * (including `attributes.*` of the `flat_object`), phrases on text fields, free text as phrases over
 * the message and the error. User values only ever appear as values, so no query-string syntax can
 * be injected. Pure.
 */
export function buildOpenSearchQuery(q: ParsedQuery, range: { from?: number; to?: number }): DslQuery {
  const filter: DslQuery[] = [];
  const mustNot: DslQuery[] = [];
  if (range.from !== undefined || range.to !== undefined) {
    const r: Record<string, unknown> = { format: 'epoch_millis' };
    if (range.from !== undefined) r.gte = range.from;
    if (range.to !== undefined) r.lt = range.to;
    filter.push({ range: { '@timestamp': r } });
  }
  for (const c of q.clauses) {
    const dsl = c.kind === 'field' ? fieldQuery(c) : textQuery(c);
    (c.negate ? mustNot : filter).push(dsl);
  }
  return { bool: { filter, must_not: mustNot } };
}
