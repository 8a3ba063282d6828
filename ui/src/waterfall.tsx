import { useState } from 'preact/hooks';
import type { Invocation } from '../../search/spans.js';
import type { LogEvent } from '../../transform/schema.js';
import { duration, serviceColor } from './format.js';

const isError = (level: string): boolean => level === 'error' || level === 'fatal';
/** An offset from the trace's first event: `+12 ms`, `-130 ms` (a cold start's init before it). */
const signed = (n: number): string => (n < 0 ? `-${duration(-n)}` : `+${duration(n)}`);
const ms = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(2)} ms`;

/** What the tooltip and the detail line say about one invocation. */
export function invocationFacts(inv: Invocation): string[] {
  const facts = [`Duration ${ms(inv.durationMs)}`];
  if (inv.billedDurationMs !== undefined) facts.push(`Billed ${ms(inv.billedDurationMs)}`);
  if (inv.initDurationMs !== undefined) facts.push(`Init ${ms(inv.initDurationMs)} (cold start)`);
  else if (inv.coldStart) facts.push('cold start');
  if (inv.maxMemoryUsedMb !== undefined && inv.memorySizeMb !== undefined)
    facts.push(`Memory ${inv.maxMemoryUsedMb} / ${inv.memorySizeMb} MB`);
  else if (inv.memorySizeMb !== undefined) facts.push(`Memory ${inv.memorySizeMb} MB`);
  if (inv.version !== undefined) facts.push(`Version ${inv.version}`);
  if (inv.status !== 'ok') facts.push(inv.status);
  if (inv.source === 'log_lines') facts.push('from log lines (no START/REPORT)');
  return facts;
}

const STATUS_LABEL: Readonly<Record<Invocation['status'], string>> = {
  ok: '',
  error: 'error',
  timeout: 'timed out',
  unfinished: 'no END',
};

/**
 * The invocation waterfall of a trace: one row per Lambda invocation (service, request id, start
 * offset, a bar for its duration, the cold start's init drawn before it), nested by depth; a row
 * opens the log lines of that invocation. Rows built only from log lines are drawn hatched and
 * say so.
 */
export function Waterfall({
  invocations,
  events,
  start,
  end,
}: {
  invocations: readonly Invocation[];
  events: readonly LogEvent[];
  start: number;
  end: number;
}) {
  const [open, setOpen] = useState<ReadonlySet<number>>(
    () => new Set(invocations.flatMap((inv, i) => (inv.status === 'ok' ? [] : [i]))),
  );
  const byId = new Map(events.map((e) => [e.event.id, e]));
  const from = Math.min(start, ...invocations.map((i) => i.start - (i.initDurationMs ?? 0)));
  const to = Math.max(end, ...invocations.map((i) => i.end), from + 1);
  const span = to - from;
  const pct = (t: number): number => ((t - from) / span) * 100;
  const toggle = (i: number): void => {
    const next = new Set(open);
    if (!next.delete(i)) next.add(i);
    setOpen(next);
  };
  return (
    <section class="panel waterfall" aria-label="Invocations" data-testid="waterfall">
      <div class="wf-axis">
        <span>{signed(from - start)}</span>
        <span>{signed(from + span / 2 - start)}</span>
        <span>{signed(to - start)}</span>
      </div>
      {invocations.map((inv, i) => {
        const facts = invocationFacts(inv);
        const title = [`${inv.service}${inv.requestId ? ` · ${inv.requestId}` : ''}`, ...facts].join('\n');
        const color = serviceColor(inv.service);
        const bad = inv.status === 'error' || inv.status === 'timeout';
        const lines = inv.eventIds.flatMap((id) => byId.get(id) ?? []);
        return (
          <div key={`${inv.requestId ?? inv.service}-${inv.start}`} class="wf-group">
            <button
              type="button"
              class={`wf-row${bad ? ' wf-bad' : ''}${inv.source === 'log_lines' ? ' wf-loglines' : ''}`}
              data-testid="invocation-row"
              data-source={inv.source}
              data-status={inv.status}
              aria-expanded={open.has(i)}
              title={title}
              onClick={() => toggle(i)}
            >
              <span class="wf-name" style={{ paddingLeft: `${Math.min(inv.depth, 6) * 14}px` }}>
                <span class="dot" style={{ background: color }} />
                <span class="wf-service">{inv.service}</span>
                {inv.requestId ? (
                  <span class="wf-req mono" title={inv.requestId}>
                    {inv.requestId.slice(0, 8)}
                  </span>
                ) : null}
              </span>
              <span class="wf-offset mono">{signed(inv.start - start)}</span>
              <span class="wf-track">
                {inv.initDurationMs !== undefined ? (
                  <span
                    class="wf-init"
                    data-testid="cold-start"
                    title={`Cold start: init ${ms(inv.initDurationMs)} before the invocation`}
                    style={{
                      left: `${pct(inv.start - inv.initDurationMs)}%`,
                      width: `${Math.max(0.4, pct(inv.start) - pct(inv.start - inv.initDurationMs))}%`,
                    }}
                  />
                ) : null}
                <span
                  class="wf-bar"
                  style={{
                    left: `${pct(inv.start)}%`,
                    width: `${Math.max(0.4, pct(inv.end) - pct(inv.start))}%`,
                    backgroundColor: color,
                  }}
                />
              </span>
              <span class="wf-dur mono" data-testid="invocation-duration">
                {duration(inv.durationMs)}
              </span>
              <span class="wf-tags">
                {inv.coldStart ? (
                  <span class="tag tag-cold" title={facts.find((f) => f.startsWith('Init')) ?? 'cold start'}>
                    ❄ cold{inv.initDurationMs !== undefined ? ` ${duration(inv.initDurationMs)}` : ''}
                  </span>
                ) : null}
                {inv.status !== 'ok' ? (
                  <span class={`tag tag-${inv.status}`} data-testid="invocation-status">
                    {STATUS_LABEL[inv.status]}
                    {inv.errors > 0 ? ` · ${inv.errors} ✕` : ''}
                  </span>
                ) : null}
                {inv.source === 'log_lines' ? (
                  <span class="tag tag-loglines" data-testid="from-log-lines">
                    from log lines
                  </span>
                ) : null}
              </span>
            </button>
            {open.has(i) ? (
              <div class="wf-detail">
                <div class="wf-facts" data-testid="invocation-facts">
                  {inv.requestId ? <span class="mono">{inv.requestId}</span> : null}
                  {facts.map((f) => (
                    <span key={f}>{f}</span>
                  ))}
                </div>
                <ol class="wf-lines">
                  {lines.map((e) => (
                    <li
                      key={e.event.id}
                      class={`wf-line${isError(e.log.level) ? ' wf-line-err' : ''}${e.lambda ? ' wf-line-platform' : ''}`}
                      data-testid="invocation-line"
                    >
                      <span class="offset mono">{signed(Date.parse(e['@timestamp']) - start)}</span>
                      <span class={`level level-${e.log.level}`}>{e.log.level}</span>
                      <span class="msg">{e.message || e.error?.message}</span>
                      {e.error?.type ? <span class="err-type">{e.error.type}</span> : null}
                    </li>
                  ))}
                </ol>
              </div>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
