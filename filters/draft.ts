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

  private writable(): { root: JsonObject; owned: Set<object> } {
    if (!this.root || !this.copies) {
      // Created with the root copy: an event no step writes allocates neither.
      this.root = { ...this.source };
      this.copies = new Set([this.root]);
    }
    return { root: this.root, owned: this.copies };
  }

  /** Reads the value at `segments` (own properties only). */
  get(segments: readonly string[]): unknown {
    return getPath(this.root ?? this.source, segments);
  }

  /** Writes `value` at `segments`, creating missing objects on the way. */
  set(segments: readonly string[], value: unknown): void {
    const { root, owned } = this.writable();
    setPathOwned(root, segments, value, owned);
    this.writes++;
  }

  /** Deletes the value at `segments` (nothing when a step of the path is missing). */
  delete(segments: readonly string[]): void {
    const { root, owned } = this.writable();
    deletePathOwned(root, segments, owned);
    this.writes++;
  }
}
