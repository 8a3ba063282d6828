import { useState } from 'preact/hooks';
import { flattenEvent } from '../../search/field-sample.js';
import { fieldClause } from '../../search/query-print.js';
import type { LogEvent } from '../../transform/schema.js';
import { copyText } from './copy.js';
import { JsonView } from './json-view.js';
import { existsClause } from './query-text.js';
import { StackTrace } from './stack-trace.js';
import './results.css';

/** What the detail's actions do (any may be left out where it makes no sense, e.g. on the event page). */
export interface DetailActions {
  onFilter?: (clause: string) => void;
  onToggleColumn?: (field: string) => void;
  columns?: readonly string[];
  onOpenEvent?: (id: string) => void;
  onTrace?: (tx: string) => void;
}

/** A button that copies `text` and says so for a moment. */
function CopyButton({ text, label, title }: { text: string; label: string; title: string }) {
  const [done, setDone] = useState<'ok' | 'fail' | undefined>();
  return (
    <button
      type="button"
      class="ghost small"
      title={title}
      aria-label={title}
      onClick={(ev) => {
        ev.stopPropagation();
        void copyText(text).then((ok) => {
          setDone(ok ? 'ok' : 'fail');
          setTimeout(() => setDone(undefined), 1500);
        });
      }}
    >
      {done === 'ok' ? 'Copied ✓' : done === 'fail' ? 'Copy failed' : label}
    </button>
  );
}

/**
 * One event opened: its error (type, message, the stack trace with its line breaks) first, then
 * every field with filter actions (include, exclude, exists), column toggle and copy, then the
 * raw JSON on request. Its height follows its content (no inner scroll box).
 */
export function EventDetail({ event, actions = {} }: { event: LogEvent; actions?: DetailActions }) {
  const [raw, setRaw] = useState(false);
  const fields = [...flattenEvent(event)];
  const err = event.error;
  const id = event.event.id;
  const tx = event.transaction?.id;
  const json = JSON.stringify(event, null, 2);
  return (
    <div class="detail" data-testid="event-detail">
      {err && (err.type || err.message || err.stack_trace) ? (
        <section class="detail-error" data-testid="error-block" aria-label="Error">
          <div class="detail-error-head">
            {err.type ? <b class="err-type">{err.type}</b> : null}
            {err.message ? <span class="detail-error-msg">{err.message}</span> : null}
          </div>
          {err.stack_trace ? <StackTrace text={err.stack_trace} class="stack-detail" /> : null}
          {err.stack_trace ? (
            <CopyButton text={err.stack_trace} label="Copy stack" title="Copy the stack trace" />
          ) : null}
        </section>
      ) : null}
      <div class="detail-actions">
        <CopyButton text={json} label="Copy JSON" title="Copy the whole event as JSON" />
        <a
          class="ghost small"
          href={`/event/${encodeURIComponent(id)}`}
          data-testid="permalink"
          title="A link that opens this event (with its surrounding events)"
          onClick={(ev) => {
            ev.stopPropagation();
            if (actions.onOpenEvent && !ev.ctrlKey && !ev.metaKey) {
              ev.preventDefault();
              actions.onOpenEvent(id);
            }
          }}
        >
          Permalink · surrounding events
        </a>
        {tx && actions.onTrace ? (
          <button type="button" class="ghost small" onClick={() => actions.onTrace?.(tx)}>
            Open transaction ↗
          </button>
        ) : null}
        <button
          type="button"
          class="ghost small"
          aria-pressed={raw}
          onClick={(ev) => {
            ev.stopPropagation();
            setRaw(!raw);
          }}
        >
          {raw ? 'Hide JSON' : 'Show JSON'}
        </button>
      </div>
      <table class="fields" aria-label="Fields of the event">
        <tbody>
          {fields.map(([field, value]) => (
            <tr key={field} data-field={field}>
              <th class="mono">{field}</th>
              <td class="field-actions">
                {actions.onFilter ? (
                  <>
                    <button
                      type="button"
                      class="icon"
                      title={`Filter for ${field} = this value`}
                      aria-label={`Filter for ${field} value`}
                      onClick={() => actions.onFilter?.(fieldClause(field, value))}
                    >
                      +
                    </button>
                    <button
                      type="button"
                      class="icon"
                      title={`Filter out ${field} = this value`}
                      aria-label={`Filter out ${field} value`}
                      onClick={() => actions.onFilter?.(fieldClause(field, value, true))}
                    >
                      −
                    </button>
                    <button
                      type="button"
                      class="icon"
                      title={`Filter for events that have ${field}`}
                      aria-label={`Filter for ${field} present`}
                      onClick={() => actions.onFilter?.(existsClause(field))}
                    >
                      ∃
                    </button>
                  </>
                ) : null}
                {actions.onToggleColumn ? (
                  <button
                    type="button"
                    class={actions.columns?.includes(field) ? 'icon on' : 'icon'}
                    title={
                      actions.columns?.includes(field)
                        ? `Remove the ${field} column`
                        : `Add ${field} as a column`
                    }
                    aria-label={`${actions.columns?.includes(field) ? 'Hide' : 'Show'} column ${field}`}
                    onClick={() => actions.onToggleColumn?.(field)}
                  >
                    ▥
                  </button>
                ) : null}
                <CopyButton text={value} label="copy" title={`Copy the value of ${field}`} />
              </td>
              <td class="field-value mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {raw ? <JsonView value={event} /> : null}
    </div>
  );
}
