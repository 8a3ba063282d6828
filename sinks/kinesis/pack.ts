import { createHash } from 'node:crypto';
import { constants, gzipSync } from 'node:zlib';
import { chunkBySize } from '../../core/chunk.js';
import type { LogEvent } from '../../transform/schema.js';

/** Kinesis limits (documented service quotas) used as defaults. */
export const KINESIS_LIMITS = {
  /** Largest record: data + partition key, in bytes (1 MiB). */
  maxRecordBytes: 1024 * 1024,
  /** Most records in one `PutRecords` call. */
  maxRecordsPerRequest: 500,
  /** Largest `PutRecords` request: all data + partition keys, in bytes (5 MiB). */
  maxRequestBytes: 5 * 1024 * 1024,
  /** Longest partition key, in Unicode characters. */
  maxPartitionKeyChars: 256,
} as const;

/** One Kinesis record built from one or more events (NDJSON, one event per line). */
export interface PackedRecord {
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** Positions in the input of the events this record carries, in order. */
  readonly indexes: readonly number[];
  /** `data.byteLength` + the partition key's UTF-8 length: what counts against the limits. */
  readonly bytes: number;
}

/** What {@link packEvents} made of a batch. */
export interface PackResult {
  readonly records: readonly PackedRecord[];
  /** Positions in the input of events that alone exceed the record limit (never sent). */
  readonly tooLarge: readonly number[];
}

/** Packing options. */
export interface PackOptions {
  /** Largest record in bytes, partition key included (default 1 MiB). */
  readonly maxRecordBytes?: number;
  /** Partition-key buckets (default {@link DEFAULT_PARTITION_BUCKETS}; 0 = one key per transaction). */
  readonly partitionBuckets?: number;
  /**
   * `gzip` (default): each record's NDJSON is gzipped (level 1), ~5× fewer bytes on the stream;
   * `none`: plain NDJSON. Limits are applied to the uncompressed size, so a record always fits.
   */
  readonly compression?: EventsCompression;
}

/** How records of the events stream are encoded ({@link PackOptions.compression}). */
export type EventsCompression = 'gzip' | 'none';

/**
 * Default number of partition-key buckets: events of one transaction share a bucket (and so a
 * shard, in order), and one record carries many transactions. 128 buckets spread over up to 128
 * shards; fewer buckets make larger records.
 */
export const DEFAULT_PARTITION_BUCKETS = 128;

/**
 * The transaction key of an event: `transaction.id`, else `event.id`. Keys longer than Kinesis
 * allows are replaced by their SHA-256 hex, which keeps them deterministic.
 */
export function transactionKeyOf(event: LogEvent): string {
  const tx = event.transaction?.id;
  const key = tx !== undefined && tx.length > 0 ? tx : event.event.id;
  if (key.length === 0) return 'sluice-empty-key';
  // UTF-16 length bounds the character count: only a long key needs counting.
  if (
    key.length <= KINESIS_LIMITS.maxPartitionKeyChars ||
    [...key].length <= KINESIS_LIMITS.maxPartitionKeyChars
  )
    return key;
  return createHash('sha256').update(key).digest('hex');
}

/** FNV-1a (32 bit) of a string's UTF-16 code units: cheap, deterministic, well spread. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The partition key of an event: with `buckets` > 0, `sluice-<n>` where n is a hash of its
 * transaction key modulo `buckets` (so a transaction stays ordered on one shard while records
 * carry many transactions); with 0, the transaction key itself (one record per transaction).
 */
export function partitionKeyOf(event: LogEvent, buckets: number = DEFAULT_PARTITION_BUCKETS): string {
  return partitionKeyFor(transactionKeyOf(event), buckets);
}

/** The partition key {@link partitionKeyOf} gives the events of transaction key `key`. */
export function partitionKeyFor(key: string, buckets: number = DEFAULT_PARTITION_BUCKETS): string {
  return buckets > 0 ? `sluice-${fnv1a(key) % buckets}` : key;
}

interface OpenRecord {
  key: string;
  keyBytes: number;
  /** The events' JSON, each written with a trailing `\n`. */
  lines: string[];
  bytes: number;
  indexes: number[];
}

function close(open: OpenRecord, compression: EventsCompression, max: number): PackedRecord {
  // Each line written as UTF-8 straight into the record's buffer (no joined string in between).
  const ndjson = Buffer.allocUnsafe(open.bytes - open.keyBytes);
  let at = 0;
  for (const line of open.lines) {
    at += ndjson.write(line, at);
    ndjson[at++] = 0x0a;
  }
  const plain = { partitionKey: open.key, data: ndjson, indexes: open.indexes, bytes: open.bytes };
  if (compression === 'none') return plain;
  // Level 1: ~250 MB/s for a ~5.6× smaller record on typical events (docs/benchmarks.md).
  const data = gzipSync(ndjson, { level: constants.Z_BEST_SPEED });
  const bytes = data.byteLength + open.keyBytes;
  // Incompressible text grows by gzip's few bytes of framing: then the plain record (readers take both).
  return bytes <= Math.min(max, open.bytes) ? { ...plain, data, bytes } : plain;
}

/**
 * Packs events into Kinesis records of NDJSON, grouping by partition key ({@link partitionKeyOf};
 * input order is kept within a key), each record at most `maxRecordBytes` including its key. Pure.
 */
export function packEvents(events: readonly LogEvent[], opts: PackOptions = {}): PackResult {
  const max = opts.maxRecordBytes ?? KINESIS_LIMITS.maxRecordBytes;
  const buckets = opts.partitionBuckets ?? DEFAULT_PARTITION_BUCKETS;
  const compression = opts.compression ?? 'gzip';
  const open = new Map<string, OpenRecord>();
  const records: PackedRecord[] = [];
  const tooLarge: number[] = [];
  events.forEach((event, index) => {
    const key = partitionKeyOf(event, buckets);
    const line = JSON.stringify(event);
    const lineBytes = Buffer.byteLength(line, 'utf8') + 1; // and its \n
    let current = open.get(key);
    const keyBytes = current?.keyBytes ?? Buffer.byteLength(key, 'utf8');
    if (lineBytes + keyBytes > max) {
      tooLarge.push(index);
      return;
    }
    if (current && current.bytes + lineBytes > max) {
      records.push(close(current, compression, max));
      current = undefined;
    }
    if (!current) {
      current = { key, keyBytes, lines: [], bytes: keyBytes, indexes: [] };
      open.set(key, current);
    }
    current.lines.push(line);
    current.bytes += lineBytes;
    current.indexes.push(index);
  });
  for (const rec of open.values()) records.push(close(rec, compression, max));
  return { records, tooLarge };
}

/** Options of {@link batchRecords}. */
export interface BatchOptions {
  readonly maxRecordsPerRequest?: number;
  readonly maxRequestBytes?: number;
}

/**
 * Splits records into `PutRecords` requests of at most 500 records and 5 MiB (defaults),
 * keeping their order. Pure.
 */
export function batchRecords<R extends { readonly bytes: number }>(
  records: readonly R[],
  opts: BatchOptions = {},
): R[][] {
  return chunkBySize(
    records,
    opts.maxRequestBytes ?? KINESIS_LIMITS.maxRequestBytes,
    opts.maxRecordsPerRequest ?? KINESIS_LIMITS.maxRecordsPerRequest,
  );
}
