import type { QueryProblem } from './api.js';

/**
 * A malformed query, shown at the search bar: the query with the offending characters underlined
 * and a caret under them, what was found and what was expected, and — for an unknown field —
 * a button that applies the suggestion.
 */
export function QueryError(props: { query: string; problem: QueryProblem; onFix: (query: string) => void }) {
  const { query, problem } = props;
  const start = Math.min(problem.position, query.length);
  const end = Math.min(query.length, start + Math.max(1, problem.length));
  const before = query.slice(0, start);
  // At the end of the query there is nothing to underline: the caret marks the spot.
  const bad = query.slice(start, end) || ' ';
  const after = query.slice(end);
  const fixed =
    problem.suggestion !== undefined && end > start ? `${before}${problem.suggestion}${after}` : undefined;
  return (
    <div class="query-error" role="alert" data-testid="query-error">
      <pre class="query-error-source mono">
        {before}
        <mark data-testid="query-error-mark">{bad}</mark>
        {after}
        {'\n'}
        <span class="query-error-caret" aria-hidden="true">
          {`${' '.repeat(start)}^${'~'.repeat(Math.max(0, end - start - 1))}`}
        </span>
      </pre>
      <div class="query-error-text">
        <b>Query error at character {start + 1}:</b> expected {problem.expected.join(' or ')}, found{' '}
        {problem.found}.
        {fixed !== undefined ? (
          <>
            {' '}
            Did you mean{' '}
            <button type="button" class="link mono" onClick={() => props.onFix(fixed)}>
              {problem.suggestion}
            </button>
            ?
          </>
        ) : null}
      </div>
      <div class="muted">No results are shown for a query that cannot be read.</div>
    </div>
  );
}
