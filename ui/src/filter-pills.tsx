import { negateClause } from './query-text.js';
import './results.css';

/**
 * The active filters as pills under the search bar: each one a query clause that must hold; a
 * click on one flips it (include ↔ exclude), its × removes it.
 */
export function FilterPills({
  filters,
  onChange,
}: {
  filters: readonly string[];
  onChange: (next: readonly string[]) => void;
}) {
  if (filters.length === 0) return null;
  return (
    <section class="pills" aria-label="Active filters">
      {filters.map((f, i) => (
        <span class={f.startsWith('-') ? 'pill neg' : 'pill'} key={f} data-testid="filter-pill">
          <button
            type="button"
            class="pill-text mono"
            title={
              f.startsWith('-')
                ? 'Excluding: click to include instead'
                : 'Including: click to exclude instead'
            }
            onClick={() => onChange(filters.map((x, j) => (j === i ? negateClause(x) : x)))}
          >
            {f.startsWith('-') ? `NOT ${f.slice(1)}` : f}
          </button>
          <button
            type="button"
            class="pill-x"
            aria-label={`Remove filter ${f}`}
            onClick={() => onChange(filters.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      {filters.length > 1 ? (
        <button type="button" class="ghost small" onClick={() => onChange([])}>
          Clear all
        </button>
      ) : null}
    </section>
  );
}
