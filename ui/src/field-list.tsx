import { useEffect, useState } from 'preact/hooks';
import { fieldClause } from '../../search/query-print.js';
import { api, type FieldsResponse, type ListParams } from './api.js';
import { count } from './format.js';
import './results.css';

interface Props {
  /** The shown result list's search; the list is fetched again when it changes. */
  params: ListParams | undefined;
  columns: readonly string[];
  onFilter: (clause: string) => void;
  onToggleColumn: (field: string) => void;
}

/**
 * The field list of the sidebar (as in Kibana Discover): every field present in a sample of the
 * result (the newest 500 matching events), its share of the sample, its top 5 values with
 * include (+) / exclude (−) filters, and a toggle to show it as a column.
 */
export function FieldList({ params, columns, onFilter, onToggleColumn }: Props) {
  const [data, setData] = useState<FieldsResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [filter, setFilter] = useState('');
  const key = params ? JSON.stringify(params) : '';
  useEffect(() => {
    if (key === '') return;
    const ctl = new AbortController();
    api.fields(JSON.parse(key) as ListParams, ctl.signal).then(
      (r) => {
        setData(r);
        setError(undefined);
      },
      (e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      },
    );
    return () => ctl.abort();
  }, [key]);
  if (error) return <div class="field-list muted">Fields unavailable: {error}</div>;
  if (!data) return <div class="field-list muted">Loading fields…</div>;
  const shown = data.fields.filter((f) => f.field.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section class="field-list" aria-label="Fields" data-testid="field-list">
      <h3>Fields</h3>
      <input
        class="field-search"
        type="search"
        placeholder="Filter field names"
        aria-label="Filter field names"
        value={filter}
        onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
      />
      <p class="muted small" data-testid="field-sample">
        Top 5 values in {count(data.sample)} sample record{data.sample === 1 ? '' : 's'} (the newest matching
        events)
      </p>
      <ul>
        {shown.map((f) => {
          const isOpen = open === f.field;
          const isCol = columns.includes(f.field);
          return (
            <li key={f.field} class={isOpen ? 'field open' : 'field'} data-field={f.field}>
              <div class="field-row">
                <button
                  type="button"
                  class="field-name mono"
                  aria-expanded={isOpen}
                  onClick={() => setOpen(isOpen ? undefined : f.field)}
                  title={`${f.field}: in ${f.count} of ${data.sample} sample records, ${f.distinct} distinct values`}
                >
                  {f.field}
                </button>
                <button
                  type="button"
                  class={isCol ? 'icon on' : 'icon'}
                  aria-label={`${isCol ? 'Hide' : 'Show'} column ${f.field}`}
                  title={isCol ? 'Remove this column' : 'Add as a column'}
                  onClick={() => onToggleColumn(f.field)}
                >
                  {isCol ? '−▥' : '+▥'}
                </button>
              </div>
              {isOpen ? (
                <div class="field-values">
                  <div class="muted small">
                    in {Math.round((f.count / Math.max(1, data.sample)) * 100)}% of the sample · {f.distinct}
                    {f.distinct >= 1000 ? '+' : ''} distinct
                  </div>
                  {f.top.map((v) => (
                    <div class="field-value-row" key={v.value} data-testid="top-value">
                      <span
                        class="field-bar"
                        style={{ width: `${(v.count / Math.max(1, data.sample)) * 100}%` }}
                      />
                      <span class="field-value-text mono" title={v.value}>
                        {v.value === '' ? '(empty)' : v.value}
                      </span>
                      <span class="field-pct">{Math.round((v.count / Math.max(1, data.sample)) * 100)}%</span>
                      <button
                        type="button"
                        class="icon"
                        aria-label={`Filter for ${f.field}: ${v.value}`}
                        title="Filter for this value"
                        onClick={() => onFilter(fieldClause(f.field, v.value))}
                      >
                        +
                      </button>
                      <button
                        type="button"
                        class="icon"
                        aria-label={`Filter out ${f.field}: ${v.value}`}
                        title="Filter out this value"
                        onClick={() => onFilter(fieldClause(f.field, v.value, true))}
                      >
                        −
                      </button>
                    </div>
                  ))}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
