import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useConnection } from './connection.js';
import { ConnectionBanner } from './connection-banner.js';
import { PartialNote, useCountAll } from './count-all.js';
import { EventView } from './event-view.js';
import { ExportLinks } from './export-links.js';
import { Facet } from './facet.js';
import { FieldList } from './field-list.js';
import { FilterPills } from './filter-pills.js';
import { count, dateTime } from './format.js';
import { Histogram } from './histogram.js';
import { nextSort, shownLabel } from './list-sort.js';
import { showServices } from './palette.js';
import { QueryError } from './query-error.js';
import { negateClause } from './query-text.js';
import { RangePicker } from './range-picker.js';
import { Results } from './results.js';
import { routeColumns, routeSort } from './route.js';
import { ServiceMapPanel } from './service-map.js';
import './styles.css';
import { resolveRange } from './time-range.js';
import { useDisplayZone } from './time-zone.js';
import { TraceView } from './trace.js';
import { useKeyboard } from './use-keyboard.js';
import { useLiveTail } from './use-live-tail.js';
import { useRoute } from './use-route.js';
import { useSearch } from './use-search.js';

const EXAMPLES = [
  'level:error',
  'service.name:payments',
  '"payment failed"',
  '-service:api-gateway level:warn,error',
];

function App() {
  const { route, navigate, draft, setDraft } = useRoute();
  const conn = useConnection();
  const stats = conn.stats;
  const search = useSearch(route, conn);
  const { result, events, setEvents, error, queryError, loading, selected, setSelected } = search;
  const list = search;
  // "Count all" on a partial answer: its exact total, histogram and facets replace the bounded ones.
  const counting = useCountAll(list.params, result, loading);
  const shown = counting.exact ?? result;
  const tail = useLiveTail(route, {
    online: conn.online,
    events,
    setEvents,
    selected,
    setSelected,
    refresh: search.refresh,
    report: conn.report,
    addLinks: search.addLinks,
  });
  const { live, setLive, fresh } = tail;
  // The live tail puts the newest events on top: it follows a newest-first list.
  useEffect(() => {
    if (live && route.sort !== undefined) navigate({ ...route, sort: undefined }, true);
  }, [live, route, navigate]);
  const sort = routeSort(route);
  const [zone, setZone] = useDisplayZone();
  const range = resolveRange(route, Date.now());
  // every service on screen gets its own colour (facets, rows, trace lanes agree)
  showServices([...(result?.facets.service.map((f) => f.value) ?? []), ...events.map((e) => e.service.name)]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!route.trace) input.current?.focus();
  }, [route.trace]);

  const submit = (q: string): void => navigate({ ...route, q, trace: undefined, event: undefined });
  // A picked value becomes a filter pill (its opposite, if there, is replaced).
  const addClause = (clause: string): void => {
    const rest = (route.filters ?? []).filter((f) => f !== clause && f !== negateClause(clause));
    navigate({ ...route, trace: undefined, event: undefined, filters: [...rest, clause] });
  };
  const columns = routeColumns(route);
  const toggleColumn = (field: string): void =>
    navigate(
      { ...route, cols: columns.includes(field) ? columns.filter((c) => c !== field) : [...columns, field] },
      true,
    );
  const openTrace = useCallback((tx: string) => navigate({ ...route, trace: tx }), [navigate, route]);
  const openEvent = useCallback((id: string) => navigate({ ...route, event: id }), [navigate, route]);
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
    enabled: !route.trace && !route.event,
    input,
    events,
    selected,
    setSelected,
    onToggle: toggle,
    onTrace: openTrace,
    onLive: toggleLive,
    links: search.links,
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
          <div
            class={conn.online ? 'counters' : 'counters stale'}
            data-testid="counters"
            title={
              conn.online
                ? 'Pipeline counters since start'
                : `Stale: last known at ${conn.statsAt ? dateTime(conn.statsAt) : '—'} (server not answering)`
            }
          >
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
            <span class="store">{conn.online ? stats.backend : 'offline'}</span>
          </div>
        ) : null}
      </header>
      <ConnectionBanner conn={conn} />
      {route.event ? (
        <main class="main">
          <EventView
            id={route.event}
            onBack={() =>
              window.history.length > 1 ? window.history.back() : navigate({ ...route, event: undefined })
            }
            onFilter={addClause}
            onTrace={openTrace}
          />
        </main>
      ) : route.trace ? (
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
            <RangePicker
              params={route}
              resolved={range}
              zone={zone}
              onZone={setZone}
              onPick={(p) => navigate({ ...route, range: p.range, from: p.from, to: p.to })}
            />
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
          <FilterPills
            filters={route.filters ?? []}
            onChange={(filters) => navigate({ ...route, filters })}
          />
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
          {range.problem ? (
            <div class="notice" role="status" data-testid="range-problem">
              {range.problem}
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
          {result && shown ? (
            <div
              class={search.stale && (error || !loading || !conn.online) ? 'layout stale' : 'layout'}
              data-testid="layout"
            >
              {search.stale && (error || !conn.online) ? (
                <div class="stale-note" data-testid="stale-note">
                  Not results of this query: {error ? 'it failed' : 'the server did not answer'}; below are
                  the results of the previous search
                  {search.resultQuery ? <code>{` ${search.resultQuery} `}</code> : ' (empty query) '}
                  {error
                    ? '— search again once the problem above is fixed.'
                    : '— it runs again when the server is back.'}
                </div>
              ) : null}
              <aside class="facets" aria-label="Facets">
                <Facet
                  title="Service"
                  field="service.name"
                  items={shown.facets.service}
                  onPick={addClause}
                  color
                />
                <Facet title="Level" field="log.level" items={shown.facets.level} onPick={addClause} />
                {/* In the sidebar, so opening the page never pushes the results below the fold. */}
                <ServiceMapPanel range={route.range} from={route.from} to={route.to} onPick={addClause} />
                <FieldList
                  params={list.params}
                  columns={columns}
                  onFilter={addClause}
                  onToggleColumn={toggleColumn}
                />
              </aside>
              <section class="content">
                <Histogram
                  zone={zone}
                  histogram={shown.histogram}
                  countedFrom={shown.partial?.countedFrom}
                  onZoom={(from, to) => navigate({ ...route, range: 'custom', from, to })}
                />
                <div class="result-head">
                  <span data-testid="total">
                    {shown.partial ? '≥ ' : ''}
                    {count(shown.total)} matching events
                    {shown.total > events.length && !live
                      ? ` · ${shownLabel(sort, String(events.length))}`
                      : ''}
                  </span>
                  {result.partial && !counting.exact ? (
                    <PartialNote partial={result.partial} counting={counting} zone={zone} />
                  ) : null}
                  {counting.exact ? (
                    <span class="muted" data-testid="counted-all">
                      every match counted ({count(counting.exact.tookMs)} ms)
                    </span>
                  ) : null}
                  {result.sortWindow?.truncated ? (
                    <span class="sort-window" data-testid="sort-window">
                      sorted among the newest matches only (at most {count(result.sortWindow.limit)}, read
                      within the time budget: the embedded store has no index on {sort.field}; narrow the
                      range or the query to sort them all)
                    </span>
                  ) : null}
                  {live ? (
                    <span class="following">
                      {!conn.online ? 'paused (disconnected)' : tail.paused ? 'paused' : '● following'}
                    </span>
                  ) : null}
                  {list.params ? (
                    <ExportLinks params={list.params} total={shown.total} columns={columns} />
                  ) : null}
                  <span class="muted">{loading ? 'searching…' : `${result.tookMs} ms`}</span>
                </div>
                {/* biome-ignore lint/a11y/noStaticElementInteractions: hover only holds the live list still */}
                <div
                  onMouseEnter={() => tail.hold('hover', true)}
                  onMouseLeave={() => tail.hold('hover', false)}
                >
                  {tail.paused && conn.online ? (
                    <div class="live-hold">
                      <button type="button" class="paused" data-testid="live-paused" onClick={tail.resume}>
                        Paused — {count(tail.pending)} new · show
                      </button>
                    </div>
                  ) : null}
                  <Results
                    events={events}
                    selected={selected}
                    expanded={expanded}
                    fresh={fresh}
                    onSelect={setSelected}
                    onToggle={toggle}
                    onTrace={openTrace}
                    onFilter={addClause}
                    columns={columns}
                    onToggleColumn={toggleColumn}
                    sort={sort}
                    onSort={(field) => {
                      const next = nextSort(sort, field);
                      navigate({ ...route, sort: next === 'desc' ? undefined : next });
                    }}
                    onOpenEvent={openEvent}
                    hasMore={list.hasMore && !live}
                    loadingMore={list.loadingMore}
                    onLoadMore={list.loadMore}
                    links={search.links}
                  />
                </div>
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
