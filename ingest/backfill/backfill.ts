import {
  type CloudWatchLogsClient,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { chunkBySize } from '../../core/chunk.js';
import { SluiceError } from '../../core/errors.js';
import { putAllRecords } from '../../sinks/kinesis/put-all.js';
import type { PutRecordsClient } from '../../sinks/kinesis/writer.js';
import type { LogGroupMatcher } from '../subscribe/matcher.js';
import { type BackfillRecord, PayloadPacker } from './payloads.js';

/** Error codes of a backfill. */
export const BACKFILL_ERROR_CODES = {
  notDelivered: 'BACKFILL_NOT_DELIVERED',
} as const;

/** A backfill could not deliver some payloads to the raw stream after every retry. */
export class BackfillError extends SluiceError {
  constructor(message: string) {
    super(BACKFILL_ERROR_CODES.notDelivered, message);
  }
}

/** What one log group gave. */
export interface GroupReport {
  readonly logGroup: string;
  readonly events: number;
  readonly records: number;
}

/** The totals of a backfill. */
export interface BackfillReport {
  readonly groups: readonly GroupReport[];
  readonly events: number;
  readonly records: number;
  /** `PutRecords` calls made (0 in a dry run). */
  readonly requests: number;
  /** gzip bytes written (or that would be, in a dry run). */
  readonly bytes: number;
}

/** Options of {@link backfill}. */
export interface BackfillOptions {
  readonly logs: CloudWatchLogsClient;
  readonly kinesis: PutRecordsClient;
  /** The raw stream the subscriptions deliver to (the transform's input). */
  readonly streamName: string;
  /** Which log groups (the auto-subscriber's include/exclude globs). */
  readonly matcher: LogGroupMatcher;
  /** Time range, epoch ms: events with `startMs ≤ timestamp < endMs`. */
  readonly startMs: number;
  readonly endMs: number;
  /** A CloudWatch Logs filter pattern (only matching events are backfilled). */
  readonly filterPattern?: string;
  /** Read and pack, but write nothing. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** Called after each log group. */
  readonly onGroup?: (report: GroupReport) => void;
  /** `PutRecords` rounds for entries that keep failing, the first included (default 8). */
  readonly maxAttempts?: number;
  readonly random?: () => number;
}

/** Kinesis `PutRecords` limits. */
const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
const MAX_REQUEST_RECORDS = 500;

/** The account id in a log group ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`). */
function accountOf(arn: string | undefined): string {
  return arn?.split(':')[4] || 'unknown';
}

/**
 * Replays history: reads the log events of every matching log group in a time range with
 * `FilterLogEvents` and writes them to the raw stream as subscription payloads, so the deployed
 * pipeline indexes them like live traffic. Events keep their CloudWatch Logs ids, and the sink's
 * `_id` is derived from them, so an overlap with what the live subscription already delivered (or
 * a re-run after an interruption) is not indexed twice.
 */
export async function backfill(o: BackfillOptions): Promise<BackfillReport> {
  const groups: GroupReport[] = [];
  let requests = 0;
  let bytes = 0;
  let pending: BackfillRecord[] = [];
  let pendingBytes = 0;

  const put = async (records: BackfillRecord[]): Promise<void> => {
    for (const batch of chunkBySize(records, MAX_REQUEST_BYTES, MAX_REQUEST_RECORDS)) {
      if (o.dryRun) continue;
      const failure = await putAllRecords(o.kinesis, o.streamName, batch, {
        ...o,
        onRequest: () => {
          requests++;
        },
      });
      // A missing stream or a denied call will not pass on a retry.
      if (failure?.kind === 'fatal') {
        const err = failure.cause;
        throw new BackfillError(
          `PutRecords to stream ${o.streamName} failed (${failure.name}: ${err instanceof Error ? err.message : String(err)}); expected an existing stream this identity may write to`,
        );
      }
      if (failure?.kind === 'exhausted') {
        throw new BackfillError(
          `${failure.left} payloads were not accepted by stream ${o.streamName} after ${failure.rounds} rounds (last error: ${failure.lastError}); expected PutRecords to succeed (check the stream's capacity, then run again: events keep their ids)`,
        );
      }
    }
  };

  const putPending = async (): Promise<void> => {
    const records = pending;
    pending = [];
    pendingBytes = 0;
    await put(records);
  };

  for (const prefix of o.matcher.listPrefixes) {
    const pages = paginateDescribeLogGroups(
      { client: o.logs },
      prefix === '' ? {} : { logGroupNamePrefix: prefix },
    );
    for await (const page of pages) {
      for (const g of page.logGroups ?? []) {
        o.signal?.throwIfAborted();
        const logGroup = g.logGroupName;
        if (!logGroup || !o.matcher.decide(logGroup).subscribe) continue;
        let events = 0;
        let records = 0;
        const packer = new PayloadPacker(accountOf(g.arn), logGroup, (r) => {
          pending.push(r);
          pendingBytes += r.bytes;
          records++;
          bytes += r.data.length;
        });
        const history = paginateFilterLogEvents(
          { client: o.logs },
          {
            logGroupName: logGroup,
            startTime: o.startMs,
            endTime: o.endMs - 1,
            ...(o.filterPattern ? { filterPattern: o.filterPattern } : {}),
          },
        );
        for await (const batch of history) {
          o.signal?.throwIfAborted();
          for (const e of batch.events ?? []) {
            if (e.timestamp === undefined || e.timestamp < o.startMs || e.timestamp >= o.endMs) continue;
            packer.add({
              logStream: e.logStreamName ?? '',
              id: e.eventId ?? `${e.timestamp}`,
              timestamp: e.timestamp,
              message: e.message ?? '',
            });
            events++;
          }
          // Write as we read: memory stays bounded by one request's worth of payloads.
          if (pendingBytes >= MAX_REQUEST_BYTES) await putPending();
        }
        packer.flush();
        await putPending();
        const report = { logGroup, events, records };
        groups.push(report);
        o.onGroup?.(report);
      }
    }
  }
  const events = groups.reduce((n, g) => n + g.events, 0);
  const records = groups.reduce((n, g) => n + g.records, 0);
  return { groups, events, records, requests, bytes };
}
