import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Facet } from './facet.js';
import { count, dateTime } from './format.js';
import { Histogram } from './histogram.js';
import { QueryError } from './query-error.js';
import { Results } from './results.js';
import { RANGES } from './route.js';
import './styles.css';
import { TraceView } from './trace.js';
import { useKeyboard } from './use-keyboard.js';
import { useLiveTail } from './use-live-tail.js';
import { useRoute } from './use-route.js';
import { useSearch } from './use-search.js';
import { useStats } from './use-stats.js';

const EXAMPLES = [
  'level:error',
  'service.name:payments',
  '"payment failed"',
  '-service:api-gateway level:warn,error',
];

function App() {
  const { route, navigate, draft, setDraft } = useRoute();
  const { result, events, setEvents, error, queryError, loading, selected, setSelected } = useSearch(route);
  const { live, setLive, fresh } = useLiveTail(route, setEvents);
  const stats = useStats();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!route.trace) input.current?.focus();
  }, [route.trace]);

  const submit = (q: string): void => navigate({ ...route, q, trace: undefined });
  const addClause = (clause: string): void => {
    const q = route.q.includes(clause) ? route.q : `${route.q} ${clause}`.trim();
    setDraft(q);
    submit(q);
  };
  const openTrace = useCallback((tx: string) => navigate({ ...route, trace: tx }), [navigate, route]);
  const toggle = useCallback(
    (id: string): void =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const toggleLive = useCallback(() => setLive((v) => !v), [setLive]);
  useKeyboard({
    enabled: !route.trace,
    input,
    events,
    selected,
    setSelected,
    onToggle: toggle,
    onTrace: openTrace,
    onLive: toggleLive,
  });

  return (
    <div class="app">
      <header class="top">
        <a
          class="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate({ q: '', range: '15m' });
            setDraft('');
          }}
        >
          <span class="logo">◆</span> Sluice <span class="muted">trace explorer</span>
        </a>
        {stats ? (
          <div class="counters" data-testid="counters" title="Pipeline counters since start">
            <span>
              received <b>{count(stats.received)}</b>
            </span>
            <span>
              indexed <b>{count(stats.indexed)}</b>
            </span>
            <span>
              dropped <b>{count(stats.dropped)}</b>
            </span>
            <span>
              redacted <b>{count(stats.redacted)}</b>
            </span>
            <span class={stats.deadLettered ? 'bad' : ''}>
              dead-lettered <b>{count(stats.deadLettered)}</b>
            </span>
            <span class="store">{stats.backend}</span>
          </div>
        ) : null}
      </header>
      {route.trace ? (
        <main class="main">
          <TraceView
            id={route.trace}
            onBack={() =>
              window.history.length > 1 ? window.history.back() : navigate({ ...route, trace: undefined })
            }
          />
        </main>
      ) : (
        <main class="main">
          <form
            class="searchbar"
            onSubmit={(e) => {
              e.preventDefault();
              submit(draft.trim());
            }}
          >
            <input
              ref={input}
              class="q mono"
              type="search"
              aria-label="Search query"
              placeholder='Search messages, or filter: service.name:orders level:error "card declined"   (press / to focus)'
              value={draft}
              onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
            />
            <select
              aria-label="Time range"
              value={route.range}
              onChange={(e) =>
                navigate({
                  ...route,
                  range: (e.target as HTMLSelectElement).value,
                  from: undefined,
                  to: undefined,
                })
              }
            >
              {RANGES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
              {route.range === 'custom' && route.from !== undefined && route.to !== undefined ? (
                <option value="custom">{`${dateTime(route.from)} → ${dateTime(route.to)}`}</option>
              ) : null}
            </select>
            <button type="submit" class="primary">
              Search
            </button>
            <button
              type="button"
              class={live ? 'live on' : 'live'}
              aria-pressed={live}
              onClick={() => setLive(!live)}
              title="Live tail (l)"
            >
              <span class="pulse" /> Live
            </button>
          </form>
          {queryError ? (
            <QueryError
              query={route.q}
              problem={queryError}
              onFix={(q) => {
                setDraft(q);
                submit(q);
              }}
            />
          ) : null}
          {error ? (
            <div class="error-box" role="alert">
              {error}
            </div>
          ) : null}
          <div class="hints">
            Try:{' '}
            {EXAMPLES.map((x) => (
              <button
                type="button"
                key={x}
                class="example mono"
                onClick={() => {
                  setDraft(x);
                  submit(x);
                }}
              >
                {x}
              </button>
            ))}
            <span class="muted keys">
              <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> expand · <kbd>t</kbd>{' '}
              open trace · <kbd>l</kbd> live
            </span>
          </div>
          {result ? (
            <div class="layout">
              <aside class="facets" aria-label="Facets">
                <Facet
                  title="Service"
                  field="service.name"
                  items={result.facets.service}
                  onPick={addClause}
                  color
                />
                <Facet title="Level" field="log.level" items={result.facets.level} onPick={addClause} />
              </aside>
              <section class="content">
                <Histogram
                  histogram={result.histogram}
                  onZoom={(from, to) => navigate({ ...route, range: 'custom', from, to })}
                />
                <div class="result-head">
                  <span data-testid="total">
                    {count(result.total)} matching events
                    {result.total > events.length && !live ? ` · newest ${events.length} shown` : ''}
                  </span>
                  <span class="muted">{loading ? 'searching…' : `${result.tookMs} ms`}</span>
                </div>
                <Results
                  events={events}
                  selected={selected}
                  expanded={expanded}
                  fresh={fresh}
                  onSelect={setSelected}
                  onToggle={toggle}
                  onTrace={openTrace}
                  onFilter={addClause}
                />
              </section>
            </div>
          ) : queryError ? null : (
            <div class="panel muted">{loading ? 'Loading…' : ''}</div>
          )}
        </main>
      )}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
