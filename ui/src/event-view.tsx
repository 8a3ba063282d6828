import { useEffect, useState } from 'preact/hooks';
import type { EventContext } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { api } from './api.js';
import { EventDetail } from './event-detail.js';
import { dateTime, serviceColor } from './format.js';
import './results.css';

/** Surrounding events asked for at first, and how many more each "more" adds. */
const STEP = 10;

function Neighbour({ e }: { e: LogEvent }) {
  return (
    <li class={`neighbour lvl-${e.log.level}`} data-testid="surrounding-event" data-id={e.event.id}>
      <a class="mono muted" href={`/event/${encodeURIComponent(e.event.id)}`}>
        {dateTime(e['@timestamp'])}
      </a>
      <span class={`level level-${e.log.level}`}>{e.log.level}</span>
      <span class="chip" style={{ '--c': serviceColor(e.service.name) }}>
        {e.service.name}
      </span>
      <span class="msg">{e.message || e.error?.message || '—'}</span>
    </li>
  );
}

/**
 * One event on its own page (`/event/<id>`, a permalink): its detail opened, between the events
 * written just before and after it to the same log stream (Discover's "surrounding documents").
 */
export function EventView({
  id,
  onBack,
  onFilter,
  onTrace,
}: {
  id: string;
  onBack: () => void;
  onFilter: (clause: string) => void;
  onTrace: (tx: string) => void;
}) {
  const [n, setN] = useState(STEP);
  const [ctx, setCtx] = useState<EventContext | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setError(undefined);
    api.event(id, n).then(setCtx, (e: Error) => setError(e.message));
  }, [id, n]);
  if (error) return <div class="panel error-box">Could not load the event: {error}</div>;
  if (!ctx || ctx.event.event.id !== id) return <div class="panel muted">Loading event…</div>;
  const scope = Object.entries(ctx.scope)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    <div class="event-view" data-testid="event-view">
      <div class="trace-head">
        <button type="button" class="back" onClick={onBack}>
          ← Back
        </button>
        <div>
          <div class="eyebrow">Event · {dateTime(ctx.event['@timestamp'])}</div>
          <h2 class="mono" data-testid="event-id">
            {ctx.event.event.id}
          </h2>
        </div>
      </div>
      <p class="muted small" data-testid="surrounding-scope">
        Surrounding events from the same {scope} (within an hour)
      </p>
      <div class="panel">
        {ctx.before.length >= n ? (
          <button type="button" class="ghost small" onClick={() => setN(n + STEP)}>
            Load {STEP} more before
          </button>
        ) : null}
        <ol class="neighbours" data-testid="before">
          {ctx.before.map((e) => (
            <Neighbour key={e.event.id} e={e} />
          ))}
        </ol>
        <div class="anchor" data-testid="anchor">
          <EventDetail event={ctx.event} actions={{ onFilter, onTrace }} />
        </div>
        <ol class="neighbours" data-testid="after">
          {ctx.after.map((e) => (
            <Neighbour key={e.event.id} e={e} />
          ))}
        </ol>
        {ctx.after.length >= n ? (
          <button type="button" class="ghost small" onClick={() => setN(n + STEP)}>
            Load {STEP} more after
          </button>
        ) : null}
      </div>
    </div>
  );
}
