import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type LogEvent, type SearchResponse, type Stats } from './api.js';
import { Facet } from './facet.js';
import { count, dateTime } from './format.js';
import { Histogram } from './histogram.js';
import { Results } from './results.js';
import { RANGES, type Route, readRoute, routeUrl, timeRange } from './route.js';
import './styles.css';
import { TraceView } from './trace.js';

const PAGE = 100;
const EXAMPLES = [
  'level:error',
  'service.name:payments',
  '"payment failed"',
  '-service:api-gateway level:warn,error',
];

function App() {
  const [route, setRoute] = useState<Route>(readRoute);
  const [draft, setDraft] = useState(route.q);
  const [result, setResult] = useState<SearchResponse | undefined>();
  const [events, setEvents] = useState<LogEvent[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [live, setLive] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [stats, setStats] = useState<Stats | undefined>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!route.trace) input.current?.focus();
  }, [route.trace]);

  const navigate = useCallback((next: Route, replace = false) => {
    const url = routeUrl(next);
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setRoute(next);
  }, []);

  useEffect(() => {
    const onPop = (): void => {
      const r = readRoute();
      setRoute(r);
      setDraft(r.q);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const runSearch = useCallback(async (r: Route, signal?: AbortSignal) => {
    setLoading(true);
    try {
      const res = await api.search({ q: r.q, ...timeRange(r), limit: PAGE }, signal);
      setResult(res);
      setEvents([...res.events]);
      setError(undefined);
      setSelected(0);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (route.trace) return;
    const ctl = new AbortController();
    void runSearch(route, ctl.signal);
    return () => ctl.abort();
  }, [route.q, route.range, route.from, route.to, route.trace, runSearch]);

  useEffect(() => {
    const tick = (): void => void api.stats().then(setStats, () => undefined);
    tick();
    const id = setInterval(tick, 2000);
    return () => clearInterval(id);
  }, []);

  // Live tail: poll for events that arrived since the cursor and put them on top.
  useEffect(() => {
    if (!live || route.trace) return;
    let cursor: string | undefined;
    let stop = false;
    const poll = async (): Promise<void> => {
      try {
        const r = await api.tail(route.q, cursor);
        cursor = r.cursor;
        if (r.events.length > 0 && !stop) {
          const incoming = [...r.events].reverse();
          setEvents((prev) => [...incoming, ...prev].slice(0, 500));
          setFresh(new Set(incoming.map((e) => e.event.id)));
        }
      } catch {
        // keep polling; the stats line shows whether the server is there
      }
      if (!stop) timer = setTimeout(poll, 1000);
    };
    let timer = setTimeout(poll, 0);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [live, route.q, route.trace]);

  const submit = (q: string): void => navigate({ ...route, q, trace: undefined });
  const addClause = (clause: string): void => {
    const q = route.q.includes(clause) ? route.q : `${route.q} ${clause}`.trim();
    setDraft(q);
    submit(q);
  };
  const openTrace = useCallback((tx: string) => navigate({ ...route, trace: tx }), [navigate, route]);
  const toggle = (id: string): void =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  // Keyboard: / focuses the search; j/k or arrows move; Enter expands; t opens the trace; l toggles live.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (route.trace || e.metaKey || e.ctrlKey || e.altKey) return;
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
      if (e.key === '/' && !typing) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
        return;
      }
      if (typing) {
        if (e.key === 'ArrowDown' && e.target === input.current) {
          e.preventDefault();
          (document.querySelector('[data-testid="result-row"]') as HTMLElement | null)?.focus();
          setSelected(0);
        }
        return;
      }
      const ev = events[selected];
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        setSelected((s) => Math.min(events.length - 1, s + 1));
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        setSelected((s) => Math.max(0, s - 1));
      } else if ((e.key === 'Enter' || e.key === ' ') && ev) {
        e.preventDefault();
        toggle(ev.event.id);
      } else if (e.key === 't' && ev?.transaction?.id) {
        openTrace(ev.transaction.id);
      } else if (e.key === 'l') {
        setLive((v) => !v);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [events, selected, route.trace, openTrace]);

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
          ) : (
            <div class="panel muted">{loading ? 'Loading…' : ''}</div>
          )}
        </main>
      )}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
