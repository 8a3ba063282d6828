import { useCallback, useEffect, useState } from 'preact/hooks';
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

/**
 * Where one "Count all" is, each phase with what it has: the request runs while its phase is
 * `counting` (its controller is there), the exact answer is there once it is `done`.
 */
type Count =
  | { readonly phase: 'counting'; readonly request: AbortController }
  | { readonly phase: 'done'; readonly exact: SearchResponse }
  | { readonly phase: 'stopped' | 'failed'; readonly message: string };

/** What a count that did not finish says. */
function problem(e: unknown): Count {
  if (e instanceof ApiError && e.code === 'SEARCH_TIMEOUT')
    return {
      phase: 'stopped',
      message:
        "the server's search time limit stopped counting all before it finished: the count above is still partial",
    };
  return { phase: 'failed', message: `counting all failed: ${(e as Error).message}` };
}

/** Counts all for the answer `result` to `params`; a new answer or a new search stops and forgets it. */
export function useCountAll(
  params: ListParams | undefined,
  result: SearchResponse | undefined,
  loading: boolean,
): CountAll {
  // None: not counting (idle). The one source of truth: the phase, the request and the answer.
  const [count, setCount] = useState<Count | undefined>(undefined);
  // The answer a count is for (none while a new search runs): when it changes, the count is forgotten.
  const answer = loading ? undefined : result;
  useEffect(() => setCount(undefined), [answer]);
  // The request lives as long as its count: forgotten, stopped or the page gone, it is aborted.
  useEffect(() => {
    if (count?.phase === 'counting') return () => count.request.abort();
  }, [count]);
  const toggle = useCallback(() => {
    if (count?.phase === 'counting') {
      setCount(undefined);
      return;
    }
    if (!params) return;
    const counting: Count = { phase: 'counting', request: new AbortController() };
    setCount(counting);
    // Only the count still current takes the answer (one forgotten meanwhile was aborted).
    api.search({ ...params, limit: 1, exact: 1 }, counting.request.signal).then(
      (exact) => setCount((now) => (now === counting ? { phase: 'done', exact } : now)),
      (e: unknown) => setCount((now) => (now === counting ? problem(e) : now)),
    );
  }, [params, count]);
  return {
    phase: count?.phase ?? 'idle',
    exact: count?.phase === 'done' ? count.exact : undefined,
    message: count?.phase === 'stopped' || count?.phase === 'failed' ? count.message : undefined,
    toggle,
  };
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
