import { useEffect, useRef } from 'preact/hooks';
import type { LogEvent } from '../../transform/schema.js';
import { dateTime, serviceColor, zoneName } from './format.js';
import { JsonView } from './json-view.js';

interface Props {
  events: readonly LogEvent[];
  selected: number;
  expanded: ReadonlySet<string>;
  onSelect: (i: number) => void;
  onToggle: (id: string) => void;
  onTrace: (tx: string) => void;
  onFilter: (clause: string) => void;
  fresh: ReadonlySet<string>;
}

/** The results table: one row per event, newest first; Enter / click expands the full JSON. */
export function Results({ events, selected, expanded, onSelect, onToggle, onTrace, onFilter, fresh }: Props) {
  const body = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    const row = body.current?.querySelector<HTMLElement>(`[data-index="${selected}"]`);
    if (row && document.activeElement?.closest('.results')) row.focus();
    row?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  if (events.length === 0)
    return <div class="empty">No events match. Try a wider time range or fewer filters.</div>;
  return (
    <table class="results" aria-label="Search results">
      <thead>
        <tr>
          <th class="c-time">
            Time <span class="zone-name">{zoneName()}</span>
          </th>
          <th class="c-level">Level</th>
          <th class="c-service">Service</th>
          <th>Message</th>
          <th class="c-tx">Transaction</th>
        </tr>
      </thead>
      <tbody ref={body}>
        {events.map((e, i) => {
          const open = expanded.has(e.event.id);
          const tx = e.transaction?.id;
          return [
            <tr
              key={e.event.id}
              data-index={i}
              data-testid="result-row"
              data-id={e.event.id}
              tabIndex={i === selected ? 0 : -1}
              class={`row lvl-${e.log.level}${i === selected ? ' selected' : ''}${open ? ' open' : ''}${fresh.has(e.event.id) ? ' fresh' : ''}`}
              aria-expanded={open}
              onClick={() => {
                onSelect(i);
                onToggle(e.event.id);
              }}
            >
              <td class="c-time mono">{dateTime(e['@timestamp'])}</td>
              <td class="c-level">
                <span class={`level level-${e.log.level}`}>{e.log.level}</span>
              </td>
              <td class="c-service">
                <button
                  type="button"
                  class="chip"
                  style={{ '--c': serviceColor(e.service.name) }}
                  title={`Filter on service.name:${e.service.name}`}
                  tabIndex={-1}
                  onClick={(ev) => {
                    ev.stopPropagation();
                    onFilter(`service.name:${e.service.name}`);
                  }}
                >
                  {e.service.name}
                </button>
              </td>
              <td class="c-msg">
                <span class="msg">{e.message || e.error?.message || '—'}</span>
                {e.error?.type ? <span class="err-type">{e.error.type}</span> : null}
                {e.redaction ? (
                  <span class="badge" title={e.redaction.rules.join(', ')}>
                    redacted
                  </span>
                ) : null}
              </td>
              <td class="c-tx">
                {tx ? (
                  <a
                    href={`/trace/${encodeURIComponent(tx)}`}
                    class="tx-link mono"
                    tabIndex={-1}
                    data-testid="trace-link"
                    onClick={(ev) => {
                      ev.preventDefault();
                      ev.stopPropagation();
                      onTrace(tx);
                    }}
                  >
                    {tx.slice(0, 8)}… ↗
                  </a>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
            </tr>,
            open ? (
              <tr key={`${e.event.id}-json`} class="json-row">
                <td colSpan={5}>
                  <JsonView value={e} />
                </td>
              </tr>
            ) : null,
          ];
        })}
      </tbody>
    </table>
  );
}
