import type { LogEvent } from '../../transform/schema.js';
import { actionLine, type BulkItem, documentId, type EncodedEvent } from './body.js';
import { boundLongValues } from './bound.js';
import { type BufferPool, NO_POOL } from './buffers.js';

/** Serialises a batch into bulk requests, one request at a time (see {@link createChunker}). */
export interface Chunker {
  /** The items built so far, at their input positions (all of them once `next` returned `undefined`). */
  readonly items: BulkItem[];
  /** Serialises the next request's items, or returns `undefined` when every event has one. */
  next(): BulkItem[] | undefined;
  /**
   * Hands a sent chunk's request buffer back to the pool: the lines of the items for which
   * `pending` is true (they may be sent again) are copied out first, the others are emptied.
   * Call it only once the request's body is no longer in use (the cluster answered it).
   */
  recycle(chunk: readonly BulkItem[], pending: (item: BulkItem) => boolean): void;
}

const EMPTY = Buffer.alloc(0);

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
 * ({@link boundLongValues}); the item's `doc` is then the bounded copy. Request buffers come from
 * `buffers` (and go back to it through {@link Chunker.recycle}). Pure apart from hashing.
 */
export function createChunker(
  events: readonly LogEvent[],
  streamOf: (event: LogEvent) => string,
  maxBytes: number,
  maxDocs: number,
  maxTermBytes?: number,
  buffers: BufferPool = NO_POOL,
): Chunker {
  return chunkerOf(
    events.length,
    (i) => {
      const event = events[i] as LogEvent;
      // String(): `undefined` as before, never a TypeError here.
      return {
        source: event,
        id: documentId(event),
        target: streamOf(event),
        json: String(JSON.stringify(event)),
        bounded: undefined,
      };
    },
    maxBytes,
    maxDocs,
    maxTermBytes,
    buffers,
  );
}

/**
 * {@link createChunker} for events already serialised: each document line is the event's `json`
 * as it came, not serialised again; only the action line is written. A document that could hold
 * a value too long to index is bounded like an object input's: with the check `encodeEvent` made
 * for the same limit when there is one, else from its `json` parsed.
 */
export function createEncodedChunker(
  events: readonly EncodedEvent[],
  targetOf: (event: EncodedEvent) => string,
  maxBytes: number,
  maxDocs: number,
  maxTermBytes?: number,
  buffers: BufferPool = NO_POOL,
): Chunker {
  return chunkerOf(
    events.length,
    (i) => {
      const event = events[i] as EncodedEvent;
      const { json } = event;
      return { source: json, id: event.id, target: targetOf(event), json, bounded: event.bounded };
    },
    maxBytes,
    maxDocs,
    maxTermBytes,
    buffers,
  );
}

/** One input as the chunker reads it: the source kept in the item, its `_id`, stream and JSON. */
interface Input {
  readonly source: LogEvent | string;
  readonly id: string;
  readonly target: string;
  readonly json: string;
  /** An encoded input's check for values too long to index, made when it was encoded. */
  readonly bounded: EncodedEvent['bounded'];
}

/** The JSON value of an input (the event, or an encoded input's parsed text), if it is an object. */
function objectOf(input: Input): Doc | undefined {
  const { source } = input;
  if (typeof source !== 'string') return isDoc(source) ? (source as unknown as Doc) : undefined;
  try {
    const value: unknown = JSON.parse(source);
    return isDoc(value) ? (value as Doc) : undefined;
  } catch {
    return undefined; // not JSON: the cluster rejects it and the sink dead-letters it as it came
  }
}

function chunkerOf(
  count: number,
  inputAt: (i: number) => Input,
  maxBytes: number,
  maxDocs: number,
  maxTermBytes: number | undefined,
  buffers: BufferPool,
): Chunker {
  // The request buffers handed out in chunks and not yet recycled.
  const issued = new Set<ArrayBufferLike>();
  const items: BulkItem[] = new Array(count);
  let i = 0;
  let capacity = 0; // size of the last request: the first guess for the next one
  // The input serialised but not yet placed (it opened a new request).
  let carry: Serialised | undefined;
  interface Serialised {
    readonly input: Input;
    readonly action: string;
    readonly doc: string;
    readonly value: Doc | undefined;
    readonly bytes: number;
  }

  const next = (): BulkItem[] | undefined => {
    if (i >= count && carry === undefined) return undefined;
    let buf: Buffer | undefined;
    let used = 0;
    const first = carry === undefined ? i : i - 1;
    // The items of this request and where each one's lines end in `buf`. Once written, a document's
    // JSON text is not kept (its bytes are in the buffer), so it dies young instead of living
    // until the whole request is built.
    const chunk: BulkItem[] = [];
    const ends: number[] = [];
    const place = (p: Serialised): void => {
      const { bytes } = p;
      if (buf === undefined) {
        // Guess: the previous request's size, else this document's size times the inputs left.
        const guess = capacity || Math.ceil(bytes * (count - i + 1) * 1.25);
        buf = buffers.take(Math.max(bytes, Math.min(maxBytes, Math.max(MIN_BUFFER_BYTES, guess))));
      } else if (used + bytes > buf.length) {
        const grown = buffers.take(Math.max(buf.length * 2, used + bytes));
        buf.copy(grown, 0, 0, used);
        buffers.give(buf);
        buf = grown;
      }
      const start = used;
      used += buf.write(p.action, used);
      used += buf.write(p.doc, used);
      buf[used++] = 0x0a;
      const index = first + chunk.length;
      const { input } = p;
      const item: BulkItem = {
        index,
        source: input.source,
        doc: p.value,
        id: input.id,
        target: input.target,
        line: EMPTY, // a view of the final buffer, set once the request is complete
        bytes: used - start,
        heals: 0,
      };
      items[index] = item;
      chunk.push(item);
      ends.push(used);
    };
    if (carry !== undefined) {
      place(carry);
      carry = undefined;
    }
    while (i < count) {
      const input = inputAt(i);
      const action = actionLine(input.target, input.id);
      let doc = input.json;
      let value: Doc | undefined;
      // A leaf's `<path>=<value>` takes at most 3 UTF-8 bytes per UTF-16 unit of the JSON: only a
      // document whose JSON is long enough can hold a value too long to index.
      if (maxTermBytes !== undefined && doc.length * 3 > maxTermBytes) {
        // Checked when it was encoded (for the same limit): no need to parse the text again.
        const checked = input.bounded?.maxTermBytes === maxTermBytes ? input.bounded : undefined;
        const object = checked === undefined ? objectOf(input) : undefined;
        value = checked !== undefined ? checked.doc : object && boundLongValues(object, maxTermBytes)?.doc;
        if (value !== undefined) doc = JSON.stringify(value);
      }
      i++;
      // A UTF-16 unit takes at most 3 UTF-8 bytes: count exactly only when that bound does not fit.
      const worst = (action.length + doc.length) * 3 + 1;
      const bytes =
        buf !== undefined && used + worst <= Math.min(buf.length, maxBytes)
          ? worst
          : Buffer.byteLength(action) + Buffer.byteLength(doc) + 1;
      const p: Serialised = { input, action, doc, value, bytes };
      if (chunk.length > 0 && (used + bytes > maxBytes || chunk.length >= maxDocs)) {
        carry = p;
        break;
      }
      place(p);
    }
    capacity = Math.max(capacity, used);
    if (buf !== undefined) issued.add(buf.buffer);
    let start = 0;
    for (let k = 0; k < chunk.length; k++) {
      const end = ends[k] as number;
      (chunk[k] as BulkItem).line = (buf as Buffer).subarray(start, end);
      start = end;
    }
    return chunk;
  };
  const recycle = (chunk: readonly BulkItem[], pending: (item: BulkItem) => boolean): void => {
    const arena = chunk[0]?.line.buffer;
    if (arena === undefined || !issued.delete(arena)) return;
    for (const item of chunk) {
      if (item.line.buffer !== arena) continue; // re-serialised by a heal: its own buffer
      item.line = pending(item) ? Buffer.from(item.line) : EMPTY;
    }
    buffers.give(Buffer.from(arena));
  };
  return { items, next, recycle };
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
