import { type Dispatch, type StateUpdater, useCallback, useEffect, useState } from 'preact/hooks';
import type { SearchResponse } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { ApiError, api, type QueryProblem } from './api.js';
import { type Route, timeRange } from './route.js';

/** How many events one search shows. */
const PAGE = 100;

/** A search's answer, the events on screen (the live tail adds to them) and the selected row. */
export interface SearchState {
  result: SearchResponse | undefined;
  events: LogEvent[];
  setEvents: Dispatch<StateUpdater<LogEvent[]>>;
  error: string | undefined;
  /** The route's query is malformed: where and why (no results are kept for it). */
  queryError: QueryProblem | undefined;
  loading: boolean;
  selected: number;
  setSelected: Dispatch<StateUpdater<number>>;
}

/** Runs the route's search whenever its query or time range changes (not while a trace is open). */
export function useSearch(route: Route): SearchState {
  const [result, setResult] = useState<SearchResponse | undefined>();
  const [events, setEvents] = useState<LogEvent[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [queryError, setQueryError] = useState<QueryProblem | undefined>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);

  const runSearch = useCallback(async (r: Route, signal?: AbortSignal) => {
    setLoading(true);
    try {
      const res = await api.search({ q: r.q, ...timeRange(r), limit: PAGE }, signal);
      setResult(res);
      setEvents([...res.events]);
      setError(undefined);
      setQueryError(undefined);
      setSelected(0);
    } catch (e) {
      if (e instanceof ApiError && e.query) {
        // The previous query's results must not read as this query's: drop them.
        setQueryError(e.query);
        setResult(undefined);
        setEvents([]);
        setError(undefined);
      } else if ((e as Error).name !== 'AbortError') setError((e as Error).message);
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

  return { result, events, setEvents, error, queryError, loading, selected, setSelected };
}
