import type { LogEvent } from '../../transform/schema.js';
import type { Predicate } from '../condition/compile.js';

/** The route runtime: sets `route` on a matching event that has none yet (copy, never mutation). */
export function routeTo(route: string, when: Predicate | undefined): (event: LogEvent) => LogEvent {
  return (event) => (event.route === undefined && (!when || when(event)) ? { ...event, route } : event);
}
