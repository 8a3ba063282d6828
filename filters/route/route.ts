import type { Predicate } from '../condition/compile.js';
import type { EventDraft } from '../draft.js';

const ROUTE = ['route'] as const;

/** The route runtime: sets `route` on a matching event that has none yet (through the draft: copy, never mutation). */
export function routeTo(route: string, when: Predicate | undefined): (draft: EventDraft) => true {
  return (draft) => {
    const event = draft.event;
    if (event.route === undefined && (!when || when(event))) draft.set(ROUTE, route);
    return true;
  };
}
