import { type Dispatch, type StateUpdater, useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RequestTransactions } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { api } from './api.js';
import { mergeByTime } from './live-merge.js';
import { type Route, routeQuery } from './route.js';

/** How often the tail asks for new events. */
const TAIL_MS = 1000;
/** Counts, histogram and facets are asked again at most this often while live. */
export const REFRESH_MS = 5000;
/** Scrolled further down than this, the list holds still. */
const SCROLL_HOLD_PX = 120;

/** Why the live list holds still: the pointer is on it, the page is scrolled down. */
export type HoldReason = 'hover' | 'scroll';

/** The live tail's state and controls. */
export interface LiveTail {
  live: boolean;
  setLive: Dispatch<StateUpdater<boolean>>;
  /** Ids of the events the last update added (they flash). */
  fresh: Set<string>;
  /** True while live and held: new events wait in `pending` instead of moving the list. */
  paused: boolean;
  /** Events that arrived while paused. */
  pending: number;
  /** Holds the list for a reason, or lets go of it. */
  hold: (reason: HoldReason, on: boolean) => void;
  /** Lets go of every hold, scrolls to the top and shows what arrived. */
  resume: () => void;
}

interface Inputs {
  /** Only polls while the server answers; a pause keeps the cursor, so nothing is missed. */
  online: boolean;
  events: readonly LogEvent[];
  setEvents: Dispatch<StateUpdater<LogEvent[]>>;
  selected: number;
  setSelected: Dispatch<StateUpdater<number>>;
  /** Called (throttled to once per 5 s) after new events arrived, to update counts and histogram. */
  refresh: () => Promise<void>;
  /** Told when a poll failed (see `Connection.report`). */
  report: (err: unknown) => void;
  /** Given the links of the rows a poll brought (request id → transactions). */
  addLinks: (links: RequestTransactions | undefined) => void;
}

/**
 * Live tail: while on (and no trace is open), polls every second for events that arrived since the
 * cursor and merges them into the list by event time (newest first, at most 500). While held (pointer
 * on the list, page scrolled down) they are kept aside and counted; the selected row stays on the same
 * event as rows are added above it.
 */
export function useLiveTail(route: Route, io: Inputs): LiveTail {
  const [live, setLive] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [holds, setHolds] = useState<ReadonlySet<HoldReason>>(new Set());
  const [pending, setPending] = useState<LogEvent[]>([]);
  const paused = live && holds.size > 0;

  // The latest values, for the poll loop (which outlives renders).
  const latest = useRef({ io, paused });
  latest.current = { io, paused };
  const cursor = useRef<{ q: string; value?: string }>({ q: routeQuery(route) });
  const lastRefresh = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  /** Puts events into the list, keeping the selected row on its event. */
  const apply = useCallback((incoming: readonly LogEvent[]) => {
    const { events, setEvents, selected, setSelected } = latest.current.io;
    // The top row selected by default (no row focused) stays the top row; a row the user chose keeps its event.
    const chosen = selected > 0 || document.activeElement?.closest('.results') != null;
    const selectedId = chosen ? events[selected]?.event.id : undefined;
    const next = mergeByTime(events, incoming);
    setEvents(next);
    const at = selectedId === undefined ? -1 : next.findIndex((e) => e.event.id === selectedId);
    setSelected(at >= 0 ? at : chosen ? Math.min(selected, Math.max(0, next.length - 1)) : 0);
    setFresh(new Set(incoming.map((e) => e.event.id)));
  }, []);

  const scheduleRefresh = useCallback(() => {
    if (refreshTimer.current !== undefined) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_MS - Date.now());
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = undefined;
      lastRefresh.current = Date.now();
      void latest.current.io.refresh();
    }, wait);
  }, []);

  useEffect(() => {
    if (!live || route.trace || !io.online) return;
    if (cursor.current.q !== routeQuery(route)) cursor.current = { q: routeQuery(route) };
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async (): Promise<void> => {
      try {
        const r = await api.tail(routeQuery(route), cursor.current.value);
        if (stop) return;
        cursor.current = { q: routeQuery(route), value: r.cursor };
        latest.current.io.addLinks(r.links);
        if (r.events.length > 0) {
          if (latest.current.paused) setPending((p) => mergeByTime(p, r.events));
          else apply(r.events);
          scheduleRefresh();
        }
      } catch (err) {
        latest.current.io.report(err); // no answer: the connection monitor takes over (this effect stops)
      }
      if (!stop) timer = setTimeout(poll, TAIL_MS);
    };
    timer = setTimeout(poll, 0);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [live, route.q, route.filters, route.trace, io.online, apply, scheduleRefresh]);

  // Turning live off (or changing the query) forgets the cursor and what was waiting.
  useEffect(() => {
    if (live) return;
    cursor.current = { q: routeQuery(route) };
    setPending([]);
    setHolds(new Set());
  }, [live, route.q]);

  // Let go: what waited goes into the list.
  useEffect(() => {
    if (paused || pending.length === 0) return;
    apply(pending);
    setPending([]);
  }, [paused, pending, apply]);

  const hold = useCallback((reason: HoldReason, on: boolean) => {
    setHolds((h) => {
      if (h.has(reason) === on) return h;
      const next = new Set(h);
      if (on) next.add(reason);
      else next.delete(reason);
      return next;
    });
  }, []);

  useEffect(() => {
    if (!live) return;
    const onScroll = (): void => hold('scroll', window.scrollY > SCROLL_HOLD_PX);
    onScroll();
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, [live, hold]);

  const resume = useCallback(() => {
    window.scrollTo({ top: 0 });
    setHolds(new Set());
  }, []);

  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  return { live, setLive, fresh, paused, pending: pending.length, hold, resume };
}
