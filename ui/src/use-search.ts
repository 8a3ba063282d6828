import { type Dispatch, type StateUpdater, useCallback, useEffect, useState } from 'preact/hooks';
import type { SearchResponse } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { ApiError, api, isDisconnected, type QueryProblem } from './api.js';
import type { Connection } from './connection.js';
import { type Route, timeRange } from './route.js';

/** How many events one search shows. */
const PAGE = 100;

/** What identifies a search: the same key, the same question. */
const searchKey = (r: Route): string => JSON.stringify([r.q, r.range, r.from, r.to]);

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
}

/**
 * Runs the route's search whenever its query or time range changes (not while a trace is open), and
 * again when the server comes back (`conn.epoch`). A request that got no answer is reported to the
 * connection monitor instead of being shown as an error; a malformed query drops the previous results;
 * any other error keeps them, marked `stale`.
 */
export function useSearch(route: Route, conn: Pick<Connection, 'epoch' | 'report'>): SearchState {
  const [result, setResult] = useState<SearchResponse | undefined>();
  const [answered, setAnswered] = useState<Route | undefined>();
  const [events, setEvents] = useState<LogEvent[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [queryError, setQueryError] = useState<QueryProblem | undefined>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const { report } = conn;

  const runSearch = useCallback(
    async (r: Route, signal?: AbortSignal) => {
      setLoading(true);
      try {
        const res = await api.search({ q: r.q, ...timeRange(r), limit: PAGE }, signal);
        setResult(res);
        setAnswered(r);
        setEvents([...res.events]);
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
          setError(undefined);
        } else if (isDisconnected(e)) {
          report(e);
        } else {
          setQueryError(undefined);
          setError((e as Error).message);
        }
      } finally {
        setLoading(false);
      }
    },
    [report],
  );

  useEffect(() => {
    if (route.trace) return;
    const ctl = new AbortController();
    void runSearch(route, ctl.signal);
    return () => ctl.abort();
  }, [route.q, route.range, route.from, route.to, route.trace, conn.epoch, runSearch]);

  const refresh = useCallback(async () => {
    try {
      const res = await api.search({ q: route.q, ...timeRange(route), limit: PAGE });
      setResult(res);
    } catch (e) {
      report(e);
    }
  }, [route.q, route.range, route.from, route.to, report]);

  const stale = result !== undefined && answered !== undefined && searchKey(answered) !== searchKey(route);
  return {
    result,
    events,
    setEvents,
    error,
    queryError,
    loading,
    stale,
    resultQuery: answered?.q,
    selected,
    setSelected,
    refresh,
  };
}
