import type { LogEvent } from '../../transform/schema.js';
import { actionLine, type BulkItem, documentId } from './body.js';
import { boundLongValues } from './bound.js';

/** Serialises a batch into bulk requests, one request at a time (see {@link createChunker}). */
export interface Chunker {
  /** The items built so far, at their input positions (all of them once `next` returned `undefined`). */
  readonly items: BulkItem[];
  /** Serialises the next request's items, or returns `undefined` when every event has one. */
  next(): BulkItem[] | undefined;
}

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Smallest request buffer; a buffer that turns out too small grows by doubling. */
const MIN_BUFFER_BYTES = 16 * 1024;

/**
 * Packs `events`, in order, into bulk requests of at most `maxBytes` bytes and `maxDocs` items
 * (an item larger than `maxBytes` travels alone), serialising each event once, on demand: a caller
 * can send one request while the next is being built. Each document's two NDJSON lines are
 * written as UTF-8 straight into the request's buffer, so the request body is a view of it
 * ({@link bulkBody}), and the JSON text dies young. With `maxTermBytes`, a document that could hold
 * a flat_object value too long to index (its JSON is longer than that) is bounded first
 * ({@link boundLongValues}); the item's `doc` is then the bounded copy. Pure apart from hashing.
 */
export function createChunker(
  events: readonly LogEvent[],
  streamOf: (event: LogEvent) => string,
  maxBytes: number,
  maxDocs: number,
  maxTermBytes?: number,
): Chunker {
  const items: BulkItem[] = new Array(events.length);
  let i = 0;
  let capacity = 0; // size of the last request: the first guess for the next one
  // The event serialised but not yet placed (it opened a new request).
  let carry:
    | { id: string; target: string; action: string; doc: string; value: Doc; bytes: number }
    | undefined;

  const next = (): BulkItem[] | undefined => {
    if (i >= events.length && carry === undefined) return undefined;
    let buf: Buffer | undefined;
    let used = 0;
    const first = carry === undefined ? i : i - 1;
    const ids: string[] = [];
    const targets: string[] = [];
    const values: Doc[] = [];
    const ends: number[] = [];
    const place = (
      id: string,
      target: string,
      action: string,
      doc: string,
      value: Doc,
      bytes: number,
    ): void => {
      if (buf === undefined) {
        // Guess: the previous request's size, else this document's size times the events left.
        const guess = capacity || Math.ceil(bytes * (events.length - i + 1) * 1.25);
        buf = Buffer.allocUnsafe(Math.max(bytes, Math.min(maxBytes, Math.max(MIN_BUFFER_BYTES, guess))));
      } else if (used + bytes > buf.length) {
        const grown = Buffer.allocUnsafe(Math.max(buf.length * 2, used + bytes));
        buf.copy(grown, 0, 0, used);
        buf = grown;
      }
      used += buf.write(action, used);
      used += buf.write(doc, used);
      buf[used++] = 0x0a;
      ids.push(id);
      targets.push(target);
      values.push(value);
      ends.push(used);
    };
    if (carry !== undefined) {
      place(carry.id, carry.target, carry.action, carry.doc, carry.value, carry.bytes);
      carry = undefined;
    }
    while (i < events.length) {
      const event = events[i] as LogEvent;
      const id = documentId(event);
      const target = streamOf(event);
      const action = actionLine(target, id);
      let doc = String(JSON.stringify(event)); // String(): `undefined` as before, never a TypeError here
      let value: Doc = event as unknown as Doc;
      // A leaf's `<path>=<value>` takes at most 3 UTF-8 bytes per UTF-16 unit of the JSON: only a
      // document whose JSON is long enough can hold a value too long to index.
      if (maxTermBytes !== undefined && doc.length * 3 > maxTermBytes && isDoc(event)) {
        const bounded = boundLongValues(event as unknown as Doc, maxTermBytes);
        if (bounded) {
          value = bounded.doc;
          doc = JSON.stringify(value);
        }
      }
      i++;
      // A UTF-16 unit takes at most 3 UTF-8 bytes: count exactly only when that bound does not fit.
      const worst = (action.length + doc.length) * 3 + 1;
      const bytes =
        buf !== undefined && used + worst <= Math.min(buf.length, maxBytes)
          ? worst
          : Buffer.byteLength(action) + Buffer.byteLength(doc) + 1;
      if (ids.length > 0 && (used + bytes > maxBytes || ids.length >= maxDocs)) {
        carry = { id, target, action, doc, value, bytes };
        break;
      }
      place(id, target, action, doc, value, bytes);
    }
    capacity = Math.max(capacity, used);
    const chunk: BulkItem[] = new Array(ids.length);
    let start = 0;
    for (let k = 0; k < ids.length; k++) {
      const index = first + k;
      const event = events[index] as LogEvent;
      const end = ends[k] as number;
      const line = (buf as Buffer).subarray(start, end);
      start = end;
      const item: BulkItem = {
        index,
        event,
        doc: values[k] as Doc,
        id: ids[k] as string,
        target: targets[k] as string,
        line,
        bytes: line.length,
        heals: 0,
      };
      items[index] = item;
      chunk[k] = item;
    }
    return chunk;
  };
  return { items, next };
}

/** Builds the bulk items of a whole batch at once (see {@link createChunker}). */
export function buildItems(
  events: readonly LogEvent[],
  streamOf: (event: LogEvent) => string,
  maxTermBytes?: number,
): BulkItem[] {
  const chunker = createChunker(
    events,
    streamOf,
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    maxTermBytes,
  );
  while (chunker.next() !== undefined);
  return chunker.items;
}
