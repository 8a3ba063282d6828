import type { LogEvent } from '../transform/schema.js';
import { deletePathOwned, getPath, type JsonObject, setPathOwned } from './path.js';

/**
 * The copy-on-write view of one event that every rule step of a pipeline run shares: the first
 * write copies the root, and each nested object is copied only the first time a write goes
 * under it (afterwards it is written in place). The caller's event is never mutated. One draft
 * serves a whole pipeline (runs are synchronous and never re-entered); {@link EventDraft.reset}
 * starts the next event.
 */
export class EventDraft {
  private source: JsonObject = {};
  private root: JsonObject | undefined;
  /** Objects copied for the current event (the root included): these may be written in place. */
  private copies: Set<object> | undefined;
  /** Number of writes since {@link EventDraft.reset}: a step changed the event when it moved. */
  writes = 0;

  /** Starts a new event (and forgets the previous one). */
  reset(event: LogEvent): void {
    this.source = event as unknown as JsonObject;
    this.root = undefined;
    this.copies = undefined;
    this.writes = 0;
  }

  /** Forgets the event (so that the draft does not keep it alive between runs). */
  release(): void {
    this.source = {};
    this.root = undefined;
    this.copies = undefined;
  }

  /** The objects copied for the current event (the root included): these may be written in place. */
  get owned(): ReadonlySet<object> | undefined {
    return this.copies;
  }

  /** The event as the writes so far left it (the input itself while nothing was written). */
  get event(): LogEvent {
    return (this.root ?? this.source) as unknown as LogEvent;
  }

  /** Copies the root on the first write of the event (an event no step writes allocates nothing). */
  private writable(): void {
    if (!this.root || !this.copies) {
      this.root = { ...this.source };
      this.copies = new Set([this.root]);
    }
  }

  /** Reads the value at `segments` (own properties only). */
  get(segments: readonly string[]): unknown {
    return getPath(this.root ?? this.source, segments);
  }

  /** Writes `value` at `segments`, creating missing objects on the way. */
  set(segments: readonly string[], value: unknown): void {
    this.writable();
    setPathOwned(this.root as JsonObject, segments, value, this.copies as Set<object>);
    this.writes++;
  }

  /** Deletes the value at `segments` (nothing when a step of the path is missing). */
  delete(segments: readonly string[]): void {
    this.writable();
    deletePathOwned(this.root as JsonObject, segments, this.copies as Set<object>);
    this.writes++;
  }
}
