import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { flattenEvent } from '../../search/field-sample.js';
import { fieldClause } from '../../search/query-print.js';
import type { SortSpec } from '../../search/sort.js';
import type { RequestTransactions } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { EventDetail } from './event-detail.js';
import { dateTime, serviceColor, zoneName } from './format.js';
import { transactionOf } from './links.js';
import { nextSort, sortArrow, sortable } from './list-sort.js';

interface Props {
  events: readonly LogEvent[];
  selected: number;
  expanded: ReadonlySet<string>;
  onSelect: (i: number) => void;
  onToggle: (id: string) => void;
  onTrace: (tx: string) => void;
  onFilter: (clause: string) => void;
  fresh: ReadonlySet<string>;
  /** Transactions of request ids, for rows without a transaction id of their own (START/REPORT…). */
  links?: RequestTransactions;
  /** Columns after the time (field paths). */
  columns: readonly string[];
  onToggleColumn: (field: string) => void;
  sort: SortSpec;
  /** A click on a sortable column's header (see `list-sort.ts`). */
  onSort: (field: string) => void;
  onOpenEvent: (id: string) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

/** A column's cell: the usual fields drawn as before (level badge, service chip…), others as text. */
function cell(field: string, e: LogEvent, p: Props): JSX.Element {
  switch (field) {
    case 'log.level':
      return <span class={`level level-${e.log.level}`}>{e.log.level}</span>;
    case 'service.name':
      return (
        <button
          type="button"
          class="chip"
          style={{ '--c': serviceColor(e.service.name) }}
          title={`Filter on service.name: ${e.service.name}`}
          tabIndex={-1}
          onClick={(ev) => {
            ev.stopPropagation();
            p.onFilter(fieldClause('service.name', e.service.name));
          }}
        >
          {e.service.name}
        </button>
      );
    case 'message':
      return (
        <>
          <span class="msg">{e.message || e.error?.message || '—'}</span>
          {e.error?.type ? <span class="err-type">{e.error.type}</span> : null}
          {e.redaction ? (
            <span class="badge" title={e.redaction.rules.join(', ')}>
              redacted
            </span>
          ) : null}
        </>
      );
    case 'transaction.id': {
      const tx = transactionOf(e, p.links);
      return tx ? (
        <a
          href={`/trace/${encodeURIComponent(tx)}`}
          class="tx-link mono"
          tabIndex={-1}
          data-testid="trace-link"
          title={e.transaction ? undefined : `Linked through request id ${e.faas?.execution}`}
          onClick={(ev) => {
            ev.preventDefault();
            ev.stopPropagation();
            p.onTrace(tx);
          }}
        >
          {tx.slice(0, 8)}… ↗
        </a>
      ) : (
        <span class="muted">—</span>
      );
    }
    default: {
      const v = flattenEvent(e).get(field);
      return v === undefined ? <span class="muted">—</span> : <span class="cell-text mono">{v}</span>;
    }
  }
}

const COLUMN_CLASS: Readonly<Record<string, string>> = {
  'log.level': 'c-level',
  'service.name': 'c-service',
  message: 'c-msg',
  'transaction.id': 'c-tx',
};
const COLUMN_TITLE: Readonly<Record<string, string>> = {
  'log.level': 'Level',
  'service.name': 'Service',
  message: 'Message',
  'transaction.id': 'Transaction',
};

/** `aria-sort` of a column's header: set on the sorted column only. */
function ariaSort(sort: SortSpec, field: string): 'ascending' | 'descending' | undefined {
  if (sort.field !== field) return undefined;
  return sort.order === 'asc' ? 'ascending' : 'descending';
}

/** What a click on a sortable header does, in words. */
function sortTitle(sort: SortSpec, field: string): string {
  const next = nextSort(sort, field);
  const dir = next.endsWith(':asc') ? 'ascending' : 'descending';
  const what =
    field === 'log.level' ? (dir === 'ascending' ? 'least severe first' : 'most severe first') : dir;
  return `Sort by ${COLUMN_TITLE[field] ?? field}, ${what} (ties newest first)`;
}

/**
 * The results table: one row per event in the chosen time order, the chosen columns; a click or
 * Enter opens the event's detail. More pages load as the end of the list scrolls into view (or
 * with the button there).
 */
export function Results(p: Props) {
  const { events, selected, expanded, onSelect, onToggle, fresh } = p;
  const body = useRef<HTMLTableSectionElement>(null);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const row = body.current?.querySelector<HTMLElement>(`[data-index="${selected}"]`);
    if (row && document.activeElement?.closest('.results')) row.focus();
    row?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const { hasMore, loadingMore, onLoadMore } = p;
  useEffect(() => {
    const el = end.current;
    if (!el || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((x) => x.isIntersecting) && !loadingMore) onLoadMore();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasMore, loadingMore, onLoadMore]);
  if (events.length === 0)
    return <div class="empty">No events match. Try a wider time range or fewer filters.</div>;
  const columns = p.columns.length > 0 ? p.columns : ['message'];
  return (
    <>
      <table class="results" aria-label="Search results">
        <thead>
          <tr>
            <th class="c-time" aria-sort={ariaSort(p.sort, '@timestamp')}>
              <button
                type="button"
                class="sort"
                data-testid="sort-time"
                title={
                  p.sort.field !== '@timestamp'
                    ? 'Sort by time, newest first'
                    : p.sort.order === 'asc'
                      ? 'Oldest first: click for newest first'
                      : 'Newest first: click for oldest first'
                }
                onClick={() => p.onSort('@timestamp')}
              >
                Time {sortArrow(p.sort, '@timestamp')}
              </button>{' '}
              <span class="zone-name">{zoneName()}</span>
            </th>
            {columns.map((c) => (
              <th
                key={c}
                class={COLUMN_CLASS[c] ?? 'c-field'}
                data-column={c}
                aria-sort={ariaSort(p.sort, c)}
              >
                {sortable(c) ? (
                  <button
                    type="button"
                    class={`sort${COLUMN_TITLE[c] ? '' : ' mono'}`}
                    data-testid={`sort-${c}`}
                    title={sortTitle(p.sort, c)}
                    onClick={() => p.onSort(c)}
                  >
                    {COLUMN_TITLE[c] ?? c} {sortArrow(p.sort, c)}
                  </button>
                ) : (
                  <span class={COLUMN_TITLE[c] ? '' : 'mono'}>{COLUMN_TITLE[c] ?? c}</span>
                )}
                {p.columns.length > 0 ? (
                  <button
                    type="button"
                    class="col-x"
                    aria-label={`Remove column ${c}`}
                    title="Remove this column"
                    onClick={() => p.onToggleColumn(c)}
                  >
                    ×
                  </button>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={body}>
          {events.map((e, i) => {
            const open = expanded.has(e.event.id);
            return [
              <tr
                key={e.event.id}
                data-index={i}
                data-id={e.event.id}
                data-ts={e['@timestamp']}
                data-testid="result-row"
                tabIndex={i === selected ? 0 : -1}
                class={`row lvl-${e.log.level}${i === selected ? ' selected' : ''}${open ? ' open' : ''}${fresh.has(e.event.id) ? ' fresh' : ''}`}
                aria-expanded={open}
                onClick={() => {
                  onSelect(i);
                  onToggle(e.event.id);
                }}
              >
                <td class="c-time mono">{dateTime(e['@timestamp'])}</td>
                {columns.map((c) => (
                  <td key={c} class={COLUMN_CLASS[c] ?? 'c-field'}>
                    {cell(c, e, p)}
                  </td>
                ))}
              </tr>,
              open ? (
                <tr key={`${e.event.id}-json`} class="json-row">
                  <td colSpan={columns.length + 1}>
                    <EventDetail
                      event={e}
                      actions={{
                        onFilter: p.onFilter,
                        onToggleColumn: p.onToggleColumn,
                        columns: p.columns,
                        onOpenEvent: p.onOpenEvent,
                        onTrace: p.onTrace,
                      }}
                    />
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
      <div class="list-end" ref={end}>
        {hasMore ? (
          <button
            type="button"
            class="ghost"
            data-testid="load-more"
            disabled={loadingMore}
            onClick={onLoadMore}
          >
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        ) : (
          <span class="muted" data-testid="list-end">
            End of the list: {events.length} events
          </span>
        )}
      </div>
    </>
  );
}
