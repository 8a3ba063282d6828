import type { LogEvent } from '../../transform/schema.js';
import type { Predicate } from '../condition/compile.js';

/** The drop runtime: `null` (drop) when the predicate holds, else the event unchanged. */
export function dropWhen(predicate: Predicate): (event: LogEvent) => LogEvent | null {
  return (event) => (predicate(event) ? null : event);
}
