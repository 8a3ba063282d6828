import { fieldClause } from '../../search/query-print.js';
import { count, serviceColor } from './format.js';

/** One facet of the sidebar (service or level): values with counts as bars; a click filters on one. */
export function Facet(props: {
  title: string;
  field: string;
  items: readonly { value: string; count: number }[];
  onPick: (c: string) => void;
  color?: boolean;
}) {
  const max = Math.max(1, ...props.items.map((i) => i.count));
  return (
    <div class="facet">
      <h3>{props.title}</h3>
      {props.items.length === 0 ? <div class="muted">none</div> : null}
      {props.items.map((i) => (
        <button
          type="button"
          class="facet-item"
          key={i.value}
          onClick={() => props.onPick(fieldClause(props.field, i.value))}
          title={`Filter on ${fieldClause(props.field, i.value)}`}
        >
          <span
            class="facet-bar"
            style={{
              width: `${(i.count / max) * 100}%`,
              background: props.color ? serviceColor(i.value) : undefined,
            }}
          />
          <span class={props.color ? 'facet-label' : `facet-label level-text-${i.value}`}>{i.value}</span>
          <span class="facet-count">{count(i.count)}</span>
        </button>
      ))}
    </div>
  );
}
