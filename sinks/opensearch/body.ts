import { hash } from 'node:crypto';
import type { LogEvent } from '../../transform/schema.js';

/** One input event on its way into a bulk request. */
export interface BulkItem {
  /** Position in the caller's input (results are aligned with it). */
  readonly index: number;
  /** The caller's event, never mutated (it is what a dead letter keeps). */
  readonly event: LogEvent;
  /** The document indexed: the event itself until a heal makes a changed copy. */
  doc: Record<string, unknown>;
  /** Deterministic `_id`. */
  readonly id: string;
  /** Target data stream. */
  readonly target: string;
  /** The two NDJSON lines (action + document), newline-terminated. */
  line: string;
  /** UTF-8 length of `line`. */
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
  const cache = new Map<string, string>();
  return (event) => {
    const key = text(by === 'service' ? event?.service?.name : event?.route);
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
  return `{"create":{"_index":${JSON.stringify(target)},"_id":"${id}"}}\n${JSON.stringify(doc)}\n`;
}

/** Builds the bulk items of a batch (pure apart from hashing). */
export function buildItems(events: readonly LogEvent[], streamOf: (event: LogEvent) => string): BulkItem[] {
  const items: BulkItem[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as LogEvent;
    const id = documentId(event);
    const target = streamOf(event);
    const line = serializeOperation(target, id, event);
    items[i] = { index: i, event, doc: event, id, target, line, bytes: Buffer.byteLength(line), heals: 0 };
  }
  return items;
}

/** Re-serialises an item after its document changed. */
export function reserialize(item: BulkItem): void {
  item.line = serializeOperation(item.target, item.id, item.doc);
  item.bytes = Buffer.byteLength(item.line);
}

/**
 * Packs items, in order, into bulk requests of at most `maxBytes` bytes and `maxDocs` items.
 * An item larger than `maxBytes` travels alone (the cluster decides; a 413 dead-letters it).
 */
export function chunkItems(items: readonly BulkItem[], maxBytes: number, maxDocs: number): BulkItem[][] {
  const chunks: BulkItem[][] = [];
  let current: BulkItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (bytes + item.bytes > maxBytes || current.length >= maxDocs)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Splits a request that drew a 413 into two halves (by count). */
export function splitInHalf<T>(items: readonly T[]): [T[], T[]] {
  const mid = Math.ceil(items.length / 2);
  return [items.slice(0, mid), items.slice(mid)];
}

/** The request body of a chunk. */
export function bulkBody(items: readonly BulkItem[]): string {
  let body = '';
  for (const item of items) body += item.line;
  return body;
}
