import { useEffect, useState } from 'preact/hooks';
import type { TraceResponse } from '../../search/types.js';
import { api } from './api.js';
import { duration, serviceColor } from './format.js';
import { JsonView } from './json-view.js';
import { StackTrace } from './stack-trace.js';
import { Waterfall } from './waterfall.js';

const isError = (level: string): boolean => level === 'error' || level === 'fatal';

/**
 * One transaction across services: the invocation waterfall (Lambda spans, with their log lines),
 * then every event in time order, the lines linked through a request id marked as such.
 */
export function TraceView({ id, onBack }: { id: string; onBack: () => void }) {
  const [trace, setTrace] = useState<TraceResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    setTrace(undefined);
    api.trace(id).then(setTrace, (e: Error) => setError(e.message));
  }, [id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLInputElement)) onBack();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  if (error) return <div class="panel error-box">Could not load the trace: {error}</div>;
  if (!trace) return <div class="panel muted">Loading trace…</div>;
  const s = trace.summary;
  if (trace.events.length === 0) {
    return (
      <div class="panel">
        <button type="button" class="back" onClick={onBack}>
          ← Back to search
        </button>
        <p>
          No events carry transaction.id <code>{id}</code>.
        </p>
      </div>
    );
  }
  const bigGap = Math.max(250, s.durationMs * 0.15);
  const copy = (): void => {
    void navigator.clipboard?.writeText(window.location.href).then(() => setCopied(true));
  };
  return (
    <div class="trace" data-testid="trace-view">
      <div class="trace-head">
        <button type="button" class="back" onClick={onBack} title="Back (Esc)">
          ← Back
        </button>
        <div>
          <div class="eyebrow">Transaction</div>
          <h2 class="mono" data-testid="trace-id">
            {trace.transactionId}
          </h2>
        </div>
        <div class="stats">
          <div>
            <b>{duration(s.durationMs)}</b>
            <span>duration</span>
          </div>
          <div>
            <b data-testid="trace-service-count">{s.services.length}</b>
            <span>services</span>
          </div>
          <div>
            <b data-testid="trace-invocation-count">{trace.invocations.length}</b>
            <span>invocations</span>
          </div>
          <div>
            <b>{trace.invocations.filter((i) => i.coldStart).length}</b>
            <span>cold starts</span>
          </div>
          <div>
            <b>{trace.events.length}</b>
            <span>events</span>
          </div>
          <div class={s.errorCount ? 'bad' : ''}>
            <b>{s.errorCount}</b>
            <span>errors</span>
          </div>
        </div>
        <button type="button" class="ghost" onClick={copy} title="Copy a shareable link">
          {copied ? 'Link copied ✓' : 'Copy link'}
        </button>
      </div>
      <Waterfall invocations={trace.invocations} events={trace.events} start={s.start} end={s.end} />
      <ol class="panel steps">
        {trace.events.map((e, i) => {
          const t = Date.parse(e['@timestamp']);
          const prev = i > 0 ? Date.parse(trace.events[i - 1]!['@timestamp']) : t;
          const gap = t - prev;
          const err = isError(e.log.level);
          return (
            <li key={e.event.id} class={err ? 'step step-err' : 'step'}>
              {gap >= bigGap ? <div class="gap">{duration(gap)} gap</div> : null}
              <button
                type="button"
                class="step-main"
                aria-expanded={open === e.event.id}
                onClick={() => setOpen(open === e.event.id ? undefined : e.event.id)}
              >
                <span class="offset mono">+{duration(t - s.start)}</span>
                <span class="chip" style={{ '--c': serviceColor(e.service.name) }}>
                  {e.service.name}
                </span>
                <span class={`level level-${e.log.level}`}>{e.log.level}</span>
                <span class="msg">{e.message || e.error?.message}</span>
                {e.error?.type ? <span class="err-type">{e.error.type}</span> : null}
                {e.transaction === undefined && e.faas?.execution ? (
                  <span
                    class="tag tag-linked"
                    data-testid="linked-badge"
                    title={`No transaction id of its own: linked through request id ${e.faas.execution}`}
                  >
                    via request {e.faas.execution.slice(0, 8)}
                  </span>
                ) : null}
              </button>
              {err && e.error?.stack_trace ? <StackTrace text={e.error.stack_trace} /> : null}
              {open === e.event.id ? <JsonView value={e} /> : null}
            </li>
          );
        })}
      </ol>
      {trace.truncated ? <p class="muted">Showing the first {trace.events.length} events.</p> : null}
    </div>
  );
}
