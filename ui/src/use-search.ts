import { type Dispatch, type StateUpdater, useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RequestTransactions, SearchResponse } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { ApiError, api, isDisconnected, type ListParams, type QueryProblem } from './api.js';
import type { Connection } from './connection.js';
import { type Route, routeQuery, timeRange } from './route.js';

/** How many events one search (and each further page) shows. */
const PAGE = 100;

/** What identifies a search: the same key, the same question. */
const searchKey = (r: Route): string => JSON.stringify([routeQuery(r), r.sort, r.range, r.from, r.to]);

/** A search's answer, the events on screen (the live tail adds to them) and the selected row. */
export interface SearchState {
  result: SearchResponse | undefined;
  events: LogEvent[];
  setEvents: Dispatch<StateUpdater<LogEvent[]>>;
  error: string | undefined;
  /** The route's query is malformed: where and why (no results are kept for it). */
  queryError: QueryProblem | undefined;
  loading: boolean;
  /** True when `result` answers another search than the route's (a previous query that worked). */
  stale: boolean;
  /** The query `result` answers. */
  resultQuery: string | undefined;
  selected: number;
  setSelected: Dispatch<StateUpdater<number>>;
  /** Asks again for counts, histogram and facets, leaving the events on screen as they are. */
  refresh: () => Promise<void>;
  /** What the shown list was searched with (its time range fixed at the search). */
  params: ListParams | undefined;
  /** Whether more events follow the shown ones, and a way to load the next page of them. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** Request id → transactions for every shown row (the search's, further pages' and the tail's). */
  links: RequestTransactions;
  /** Adds the links of rows put in the list by someone else (the live tail). */
  addLinks: (more: RequestTransactions | undefined) => void;
}

/**
 * Runs the route's search whenever its query, filters, order or time range changes (not while a
 * trace or an event page is open), and again when the server comes back (`conn.epoch`). A request
 * that got no answer is reported to the connection monitor instead of being shown as an error; a
 * malformed query drops the previous results; any other error keeps them, marked `stale`. Further
 * pages continue from the last one's cursor with the same time range, so events stored meanwhile
 * never shift or repeat a page.
 */
export function useSearch(route: Route, conn: Pick<Connection, 'epoch' | 'report'>): SearchState {
  const [result, setResult] = useState<SearchResponse | undefined>();
  const [answered, setAnswered] = useState<Route | undefined>();
  const [events, setEvents] = useState<LogEvent[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [queryError, setQueryError] = useState<QueryProblem | undefined>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const [params, setParams] = useState<ListParams | undefined>();
  const [next, setNext] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [links, setLinks] = useState<RequestTransactions>({});
  const addLinks = useCallback((more: RequestTransactions | undefined) => {
    if (more && Object.keys(more).length > 0) setLinks((prev) => ({ ...prev, ...more }));
  }, []);
  const generation = useRef(0);
  const { report } = conn;

  const runSearch = useCallback(
    async (r: Route, signal?: AbortSignal) => {
      setLoading(true);
      const gen = ++generation.current;
      const p: ListParams = { q: routeQuery(r), ...timeRange(r), sort: r.sort };
      try {
        const res = await api.search({ ...p, limit: PAGE }, signal);
        setResult(res);
        setAnswered(r);
        setEvents([...res.events]);
        setLinks(res.links ?? {});
        setParams(p);
        setNext(res.next);
        setError(undefined);
        setQueryError(undefined);
        setSelected(0);
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        if (e instanceof ApiError && e.query) {
          // The previous query's results must not read as this query's: drop them.
          setQueryError(e.query);
          setResult(undefined);
          setAnswered(undefined);
          setEvents([]);
          setParams(undefined);
          setNext(undefined);
          setError(undefined);
        } else if (isDisconnected(e)) {
          report(e);
        } else {
          setQueryError(undefined);
          setError((e as Error).message);
        }
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [report],
  );

  const inFlight = useRef<string | undefined>(undefined);
  const loadMore = useCallback(() => {
    // One request per cursor, however often the button and the scroll observer ask.
    if (!params || next === undefined || inFlight.current === next) return;
    inFlight.current = next;
    const gen = generation.current;
    setLoadingMore(true);
    api
      .page({ ...params, after: next, limit: PAGE })
      .then(
        (page) => {
          if (gen !== generation.current) return;
          setEvents((prev) => {
            const have = new Set(prev.map((e) => e.event.id));
            return [...prev, ...page.events.filter((e) => !have.has(e.event.id))];
          });
          setNext(page.next);
          addLinks(page.links);
        },
        (e: Error) => {
          if (gen !== generation.current) return;
          if (isDisconnected(e)) report(e);
          else setError(e.message);
        },
      )
      .finally(() => {
        inFlight.current = undefined;
        setLoadingMore(false);
      });
  }, [params, next, report, addLinks]);

  const filterKey = (route.filters ?? []).join('\n');
  useEffect(() => {
    if (route.trace || route.event) return;
    const ctl = new AbortController();
    void runSearch(route, ctl.signal);
    return () => ctl.abort();
  }, [
    route.q,
    filterKey,
    route.sort,
    route.range,
    route.from,
    route.to,
    route.trace,
    route.event,
    conn.epoch,
    runSearch,
  ]);

  const refresh = useCallback(async () => {
    try {
      const res = await api.search({
        q: routeQuery(route),
        ...timeRange(route),
        sort: route.sort,
        limit: PAGE,
      });
      setResult(res);
    } catch (e) {
      report(e);
    }
  }, [route.q, filterKey, route.sort, route.range, route.from, route.to, report]);

  const stale = result !== undefined && answered !== undefined && searchKey(answered) !== searchKey(route);
  return {
    result,
    events,
    setEvents,
    error,
    queryError,
    loading,
    stale,
    resultQuery: answered ? routeQuery(answered) : undefined,
    selected,
    setSelected,
    refresh,
    params,
    hasMore: next !== undefined,
    loadingMore,
    loadMore,
    links,
    addLinks,
  };
}
