import { useCallback, useEffect, useState } from 'preact/hooks';
import { type Route, readRoute, routeUrl } from './route.js';

/** The route (kept in the URL) and the search box's draft, which follows the URL on back/forward. */
export interface RouteState {
  route: Route;
  /** Goes to a route: pushes a history entry, or replaces the current one. */
  navigate: (next: Route, replace?: boolean) => void;
  draft: string;
  setDraft: (q: string) => void;
}

/** The explorer's URL state: read at load, written by `navigate`, re-read on back/forward. */
export function useRoute(): RouteState {
  const [route, setRoute] = useState<Route>(readRoute);
  const [draft, setDraft] = useState(route.q);

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

  return { route, navigate, draft, setDraft };
}
