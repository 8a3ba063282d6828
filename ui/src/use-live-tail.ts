import { type Dispatch, type StateUpdater, useEffect, useState } from 'preact/hooks';
import type { LogEvent } from '../../transform/schema.js';
import { api } from './api.js';
import type { Route } from './route.js';

/** Whether the live tail is on, a switch for it, and the ids of the events it just added. */
export interface LiveTail {
  live: boolean;
  setLive: Dispatch<StateUpdater<boolean>>;
  fresh: Set<string>;
}

/**
 * Live tail: while on (and no trace is open), polls every second for events that arrived since the
 * cursor and puts them on top of `setEvents`' list (newest first, at most 500 kept).
 */
export function useLiveTail(route: Route, setEvents: Dispatch<StateUpdater<LogEvent[]>>): LiveTail {
  const [live, setLive] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());

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

  return { live, setLive, fresh };
}
