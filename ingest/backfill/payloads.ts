import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * Packs log events read back from CloudWatch Logs into the payloads a subscription filter would
 * have delivered: gzip JSON `DATA_MESSAGE`s of one log stream each, so the raw stream's consumers
 * (the transform) read backfilled history exactly like live traffic. Pure.
 */

/** One log event as `FilterLogEvents` returns it. */
export interface HistoryEvent {
  readonly logStream: string;
  readonly id: string;
  readonly timestamp: number;
  readonly message: string;
}

/** A payload ready for `PutRecords`. */
export interface BackfillRecord {
  /** gzip of the `DATA_MESSAGE` JSON. */
  readonly data: Uint8Array;
  readonly partitionKey: string;
  /** Data plus partition key, as Kinesis counts a request's size. */
  readonly bytes: number;
  /** Log events inside. */
  readonly events: number;
}

/** The subscription filter name backfilled payloads carry (where live ones carry the real filter's). */
export const BACKFILL_FILTER_NAME = 'sluice-backfill';
/**
 * Most JSON bytes in one payload before gzip. A Kinesis record holds 1 MiB; gzip (level 6) never
 * grows incompressible input by more than ~0.1 %, so this leaves room for the partition key.
 */
export const MAX_PAYLOAD_JSON_BYTES = 1_000_000;
/** Most log events in one payload (CloudWatch Logs' own deliveries hold far fewer). */
export const MAX_PAYLOAD_EVENTS = 10_000;

/** The payload of one log stream being filled: its JSON head, the room for events, the events. */
interface OpenPayload {
  readonly head: string;
  /** Most bytes of events (with their commas) the payload can take. */
  readonly limit: number;
  readonly parts: string[];
  bytes: number;
}

/** Builds the payloads of one log group, stream by stream, flushing each when it is full. */
export class PayloadPacker {
  private readonly open = new Map<string, OpenPayload>();

  constructor(
    private readonly owner: string,
    private readonly logGroup: string,
    private readonly emit: (record: BackfillRecord) => void,
  ) {}

  /** Adds one event (its stream's payload is flushed first when the event would not fit). */
  add(e: HistoryEvent): void {
    const part = JSON.stringify({ id: e.id, timestamp: e.timestamp, message: e.message });
    const size = Buffer.byteLength(part) + 1;
    let payload = this.open.get(e.logStream);
    if (payload && (payload.bytes + size > payload.limit || payload.parts.length >= MAX_PAYLOAD_EVENTS)) {
      this.flushStream(e.logStream);
      payload = undefined;
    }
    if (!payload) {
      const head = `{"messageType":"DATA_MESSAGE","owner":${JSON.stringify(this.owner)},"logGroup":${JSON.stringify(this.logGroup)},"logStream":${JSON.stringify(e.logStream)},"subscriptionFilters":[${JSON.stringify(BACKFILL_FILTER_NAME)}],"logEvents":[`;
      payload = { head, limit: MAX_PAYLOAD_JSON_BYTES - Buffer.byteLength(head) - 2, parts: [], bytes: 0 };
      this.open.set(e.logStream, payload);
    }
    payload.parts.push(part);
    payload.bytes += size;
  }

  /** Flushes every open payload (at the end of a log group). */
  flush(): void {
    for (const stream of [...this.open.keys()]) this.flushStream(stream);
  }

  private flushStream(logStream: string): void {
    const payload = this.open.get(logStream);
    this.open.delete(logStream);
    if (!payload || payload.parts.length === 0) return;
    const data = gzipSync(`${payload.head}${payload.parts.join(',')}]}`);
    // One stream's payloads stay in order on one shard (a hash: names can exceed the 256-character key).
    const partitionKey = createHash('sha256').update(`${this.logGroup}\n${logStream}`).digest('hex');
    this.emit({
      data,
      partitionKey,
      bytes: data.length + Buffer.byteLength(partitionKey),
      events: payload.parts.length,
    });
  }
}
