import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { SearchResponse } from '../../search/types.js';
import { ApiError, api, type ListParams } from './api.js';
import { dateTime } from './format.js';
import type { TimeZoneMode } from './time-range.js';

/**
 * "Count all" for a partial answer (docs/query.md): the same search again with `exact=1`, counting
 * every match however long it takes. Not in the URL: a shared link opens with the bounded count
 * and one click counts all, so opening a link never starts a long count by itself.
 */
export interface CountAll {
  /** `counting` while the exact search runs; `stopped` when the server's time limit stopped it. */
  readonly phase: 'idle' | 'counting' | 'done' | 'stopped' | 'failed';
  /** The exact answer (total, histogram, facets) once it came. */
  readonly exact?: SearchResponse;
  readonly message?: string;
  /** Starts the count, or stops the one running. */
  readonly toggle: () => void;
}

/** Counts all for the answer `result` to `params`; a new answer or a new search stops and forgets it. */
export function useCountAll(
  params: ListParams | undefined,
  result: SearchResponse | undefined,
  loading: boolean,
): CountAll {
  const [state, setState] = useState<Omit<CountAll, 'toggle'>>({ phase: 'idle' });
  const ctl = useRef<AbortController | undefined>(undefined);
  const stop = useCallback(() => {
    ctl.current?.abort();
    ctl.current = undefined;
  }, []);
  useEffect(() => {
    stop();
    setState({ phase: 'idle' });
  }, [result, stop]);
  useEffect(() => {
    if (!loading) return;
    stop();
    setState({ phase: 'idle' });
  }, [loading, stop]);
  useEffect(() => stop, [stop]);
  const toggle = useCallback(() => {
    if (ctl.current) {
      stop();
      setState({ phase: 'idle' });
      return;
    }
    if (!params) return;
    const c = new AbortController();
    ctl.current = c;
    setState({ phase: 'counting' });
    api.search({ ...params, limit: 1, exact: 1 }, c.signal).then(
      (exact) => {
        if (ctl.current !== c) return;
        ctl.current = undefined;
        setState({ phase: 'done', exact });
      },
      (e: unknown) => {
        if (ctl.current !== c) return;
        ctl.current = undefined;
        if (e instanceof ApiError && e.code === 'SEARCH_TIMEOUT')
          setState({
            phase: 'stopped',
            message:
              "the server's search time limit stopped counting all before it finished: the count above is still partial",
          });
        else setState({ phase: 'failed', message: `counting all failed: ${(e as Error).message}` });
      },
    );
  }, [params, stop]);
  return { ...state, toggle };
}

/** Why a count is partial, in words. */
function why(partial: NonNullable<SearchResponse['partial']>): string {
  const numbers = partial.numberRollup
    ? `; the number rollups do not answer it: ${partial.numberRollup}`
    : '';
  if (partial.reason === 'budget') return `too many matches to count within the time budget${numbers}`;
  if (partial.reason === 'no-index')
    return `no index answers ${partial.unindexed ?? 'this query'}, so events are tested one by one within the time budget${numbers}`;
  return 'time budget';
}

/** The note after a partial count: from when it counted, why, and the "Count all" button. */
export function PartialNote({
  partial,
  counting,
  zone,
}: {
  partial: NonNullable<SearchResponse['partial']>;
  counting: CountAll;
  zone: TimeZoneMode;
}) {
  const busy = counting.phase === 'counting';
  return (
    <span class="muted" data-testid="partial">
      counted back to {dateTime(partial.countedFrom, zone)}{' '}
      <span data-testid="partial-reason">({why(partial)}: narrow the range or the query, or count all)</span>{' '}
      <button
        type="button"
        class="link"
        data-testid="count-all"
        aria-pressed={busy}
        title={busy ? 'Stop counting' : 'Count every match, however long it takes'}
        onClick={counting.toggle}
      >
        {busy ? 'counting all… (stop)' : 'Count all'}
      </button>
      {counting.message ? (
        <span class="count-all-error" role="status" data-testid="count-all-error">
          {' '}
          {counting.message}
        </span>
      ) : null}
    </span>
  );
}
