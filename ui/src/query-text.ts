// Query text the UI builds around the values a user picks (facets, chips, the field list, the
// event detail). Values are quoted by the query language's own printer (`search/query-print.ts`).

/** `field:*`: the field exists (or, negated, is missing). */
export function existsClause(field: string, negate = false): string {
  return `${negate ? '-' : ''}${field}:*`;
}

/**
 * The query a search runs: the typed query, then every filter pill (each must hold). The typed
 * query comes first and unchanged, so a syntax error's position still points into the search box;
 * one with a top-level OR is grouped so the pills narrow all of it.
 */
export function combineQuery(q: string, filters: readonly string[]): string {
  if (filters.length === 0) return q;
  const typed = q.trim() === '' ? [] : [/\bOR\b/.test(q) ? `(${q})` : q];
  return [...typed, ...filters].join(' ');
}

/** The opposite of a filter clause (`a:b` ↔ `-a:b`). */
export const negateClause = (clause: string): string =>
  clause.startsWith('-') ? clause.slice(1) : `-${clause}`;
