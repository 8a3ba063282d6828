import { hash } from 'node:crypto';
import { chunkBySize } from '../../core/chunk.js';
import type { LogEvent } from '../../transform/schema.js';
import { boundLongValues } from './bound.js';
import { DEFAULT_MAX_ATTRIBUTE_TERM_BYTES } from './config.js';

/**
 * An event already serialised, e.g. a line of the events stream: the sink sends `json` as it is
 * (after the action line) instead of serialising the event again. Make one with {@link encodeEvent}.
 */
export interface EncodedEvent {
  /** The event as JSON text on one line (no line break). */
  readonly json: string;
  /** Its `_id`: {@link documentId} of the event. */
  readonly id: string;
  /** Its `service.name` and `route`, which choose the data stream. */
  readonly service: string | undefined;
  readonly route: string | undefined;
  /**
   * For a `json` long enough to hold a value too long to index: the term limit it was checked
   * against when encoded and the bounded copy of the event when it needed one (else undefined), so
   * the sink does not parse the line again to check it. Set by {@link encodeEvent}.
   */
  readonly bounded?: { readonly maxTermBytes: number; readonly doc: Record<string, unknown> | undefined };
}

/**
 * The {@link EncodedEvent} of `event`: `json` is the given JSON text of the event (e.g. the line it
 * was parsed from, which must hold exactly this event) or else `JSON.stringify(event)`. A long one
 * is checked for values too long to index under `maxTermBytes` (the sink's
 * `max_attribute_term_bytes`) here, from the object at hand; only the rare bounded copy is kept.
 */
export function encodeEvent(
  event: LogEvent,
  json?: string,
  maxTermBytes = DEFAULT_MAX_ATTRIBUTE_TERM_BYTES,
): EncodedEvent {
  const e = event as unknown as { service?: { name?: unknown }; route?: unknown } | undefined;
  const service = e?.service?.name;
  const route = e?.route;
  const text = json ?? String(JSON.stringify(event));
  const object = typeof event === 'object' && event !== null && !Array.isArray(event);
  return {
    json: text,
    id: documentId(event),
    service: typeof service === 'string' ? service : undefined,
    route: typeof route === 'string' ? route : undefined,
    bounded:
      object && text.length * 3 > maxTermBytes
        ? {
            maxTermBytes,
            doc: boundLongValues(event as unknown as Record<string, unknown>, maxTermBytes)?.doc,
          }
        : undefined,
  };
}

/** One input event on its way into a bulk request. */
export interface BulkItem {
  /** Position in the caller's input (results are aligned with it). */
  readonly index: number;
  /**
   * The caller's input, never mutated (a dead letter keeps it): the event, or for an encoded input
   * its JSON text (parsed only when a heal or a dead letter needs the event, see {@link eventOf}).
   */
  readonly source: LogEvent | string;
  /** The document indexed when it differs from the input (a bounded or healed copy), else undefined. */
  doc: Record<string, unknown> | undefined;
  /** Deterministic `_id`. */
  readonly id: string;
  /** Target data stream. */
  readonly target: string;
  /** The two NDJSON lines (action + document), newline-terminated, as UTF-8 bytes. */
  line: Buffer;
  /** Length of `line` in bytes. */
  bytes: number;
  /** Fields moved to quarantine so far. */
  heals: number;
}

/**
 * The deterministic `_id` of an event: SHA-256 of (length-prefixed) log group, log stream and CloudWatch event id
 * (base64url, 43 characters). The same event always gets the same `_id`, so a retried `create`
 * answers 409 instead of indexing a duplicate.
 */
export function documentId(event: LogEvent): string {
  // Inputs come off a stream and may not match the schema: never throw here.
  const e = event as unknown as {
    aws?: { cloudwatch?: { log_group?: unknown; log_stream?: unknown } };
    event?: { id?: unknown };
  };
  const group = text(e?.aws?.cloudwatch?.log_group);
  const stream = text(e?.aws?.cloudwatch?.log_stream);
  const id = typeof e?.event?.id === 'string' ? e.event.id : `content:${JSON.stringify(event)}`;
  // Length-prefixed, so no choice of names can make two different triples hash the same input.
  // One-shot `crypto.hash`: the same digest as `createHash().update().digest()` without a Hash object.
  return hash('sha256', `${group.length}:${group}${stream.length}:${stream}${id}`, 'base64url');
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The event an item was built from (an encoded input's JSON parsed; its text when that is not JSON). */
export function eventOf(item: BulkItem): unknown {
  if (typeof item.source !== 'string') return item.source;
  try {
    return JSON.parse(item.source);
  } catch {
    return item.source;
  }
}

/** The document an item indexes, as an object; undefined when it is not a JSON object. */
export function documentOf(item: BulkItem): Record<string, unknown> | undefined {
  if (item.doc !== undefined) return item.doc;
  const event = eventOf(item);
  return typeof event === 'object' && event !== null && !Array.isArray(event)
    ? (event as Record<string, unknown>)
    : undefined;
}

/** Turns a service name or route into a data stream name segment (lowercase, `[a-z0-9_-]`, ≤ 100). */
export function streamSegment(raw: unknown): string {
  const s = text(raw)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '')
    .slice(0, 100);
  return s.length > 0 ? s : 'default';
}

/**
 * Compiles the choice of data stream: `<prefix>-<service>` or `<prefix>-<route>` (route-less
 * events go to `<prefix>-default`). Segments are cached, as services repeat.
 */
export function compileStreamNamer(prefix: string, by: 'service' | 'route'): (event: LogEvent) => string {
  const named = compileKeyNamer(prefix);
  return (event) => named(by === 'service' ? event?.service?.name : event?.route);
}

/** The data stream of a service name or route (`<prefix>-<segment>`), cached (see {@link compileStreamNamer}). */
export function compileKeyNamer(prefix: string): (raw: unknown) => string {
  const cache = new Map<string, string>();
  return (raw) => {
    const key = text(raw);
    let name = cache.get(key);
    if (name === undefined) {
      name = `${prefix}-${streamSegment(key)}`;
      if (cache.size > 10_000) cache.clear();
      cache.set(key, name);
    }
    return name;
  };
}

/** The NDJSON lines of one `create` operation. */
export function serializeOperation(target: string, id: string, doc: unknown): string {
  return `${actionLine(target, id)}${JSON.stringify(doc)}\n`;
}

/** The action line of a `create` operation, newline-terminated. */
export const actionLine = (target: string, id: string): string =>
  `{"create":{"_index":${JSON.stringify(target)},"_id":"${id}"}}\n`;

/** Re-serialises an item after its document changed. */
export function reserialize(item: BulkItem): void {
  item.line = Buffer.from(serializeOperation(item.target, item.id, documentOf(item)));
  item.bytes = item.line.length;
}

/**
 * Packs items, in order, into bulk requests of at most `maxBytes` bytes and `maxDocs` items.
 * An item larger than `maxBytes` travels alone (the cluster decides; a 413 dead-letters it).
 */
export function chunkItems(items: readonly BulkItem[], maxBytes: number, maxDocs: number): BulkItem[][] {
  return chunkBySize(items, maxBytes, maxDocs);
}

/** Splits a request that drew a 413 into two halves (by count). */
export function splitInHalf<T>(items: readonly T[]): [T[], T[]] {
  const mid = Math.ceil(items.length / 2);
  return [items.slice(0, mid), items.slice(mid)];
}

/**
 * The request body of a chunk (NDJSON bytes): a view of the arena when the chunk's lines lie
 * side by side in it (the usual case: a first attempt in input order), else one copy of them.
 */
export function bulkBody(items: readonly BulkItem[]): Buffer {
  const first = items[0]?.line;
  if (first === undefined) return Buffer.alloc(0);
  let total = 0;
  let next = first.byteOffset;
  let adjacent = true;
  for (const item of items) {
    const line = item.line;
    if (adjacent && (line.buffer !== first.buffer || line.byteOffset !== next)) adjacent = false;
    next = line.byteOffset + line.length;
    total += line.length;
  }
  if (adjacent) return Buffer.from(first.buffer, first.byteOffset, total);
  return Buffer.concat(
    items.map((i) => i.line),
    total,
  );
}
