import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamHandler } from 'aws-lambda';
import { backoffDelayMs } from '../core/backoff.js';
import { sleep as defaultSleep } from '../core/sleep.js';
import { type CheckpointStore, compareSequence } from './checkpoint.js';
import { type DeliverStats, deliverBatch } from './deliver.js';
import { buildOnFailureRecord, type FailureDestination } from './destination.js';
import type { RunnerRecord, SourceInfo } from './event.js';
import { invokeHandler } from './invoke.js';
import type { MappingOptions } from './options.js';

/** A line the runner logs about itself (never record content). */
export interface RunnerLogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

/** Counters shared by the shard readers of one runner. */
export interface RunnerStats {
  records: number;
  invocations: number;
  retries: number;
  bisections: number;
  sentToDestination: number;
  shardsFinished: number;
}

/** What one shard reader is handed. */
export interface ShardReaderDeps {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly source: SourceInfo;
  readonly handler: KinesisStreamHandler;
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly mapping: MappingOptions;
  readonly checkpoints: CheckpointStore;
  readonly destination: FailureDestination;
  readonly stats: RunnerStats;
  /** Start at TRIM_HORIZON regardless of `starting_position` (child shards). */
  readonly fromTrimHorizon: boolean;
  /** Ending sequence number of the shard once ListShards reports it closed (moto keeps iterators open). */
  endingSequence(): string | undefined;
  readonly log: (entry: RunnerLogEntry) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  readonly signal: AbortSignal;
}

function errorName(err: unknown): string {
  return err && typeof err === 'object' && 'name' in err && typeof err.name === 'string' ? err.name : 'Error';
}

/**
 * Reads one shard until it is closed and fully processed (returns `'closed'`) or the signal
 * aborts (returns `'stopped'`): gathers batches (`batch_size`, `maximum_batching_window_ms`),
 * delivers each with {@link deliverBatch}, checkpoints as records are done.
 */
export async function readShard(shardId: string, deps: ShardReaderDeps): Promise<'closed' | 'stopped'> {
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const { mapping, signal } = deps;
  const saved = deps.checkpoints.get(deps.streamName, shardId);
  let lastFetched = saved?.sequenceNumber;
  let iterator: string | undefined;
  let failures = 0;
  const buffer: RunnerRecord[] = [];
  let windowStart = 0;

  const getIterator = async (): Promise<string | undefined> => {
    const type: ShardIteratorType = lastFetched
      ? 'AFTER_SEQUENCE_NUMBER'
      : deps.fromTrimHorizon
        ? 'TRIM_HORIZON'
        : mapping.starting_position;
    const out = await deps.client.send(
      new GetShardIteratorCommand({
        StreamName: deps.streamName,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(lastFetched ? { StartingSequenceNumber: lastFetched } : {}),
      }),
      { abortSignal: signal },
    );
    return out.ShardIterator;
  };

  const deliver = async (batch: RunnerRecord[]): Promise<DeliverStats> => {
    const result = await deliverBatch(batch, mapping, {
      invoke: (records) =>
        invokeHandler(deps.handler, records, deps.source, {
          functionName: deps.functionName,
          timeoutMs: deps.timeoutMs,
          reportBatchItemFailures: mapping.report_batch_item_failures,
        }),
      checkpoint: (seq) => deps.checkpoints.advance(deps.streamName, shardId, seq),
      sendToDestination: async (records, info) => {
        deps.log({
          level: 'warn',
          msg: 'records sent to the on-failure destination',
          shardId,
          count: records.length,
          ...info,
        });
        await deps.destination.send(
          buildOnFailureRecord(records, deps.source, {
            ...info,
            functionName: deps.functionName,
            now: new Date(now()),
          }),
        );
      },
      onRetry: (info) =>
        deps.log({
          level: 'warn',
          msg: 'batch not delivered; retrying (records stay in the stream until delivered)',
          shardId,
          ...info,
        }),
      sleep,
      now,
      signal,
    });
    if (result.completed && result.retries > 0) {
      deps.log({ level: 'info', msg: 'batch delivered after retries', shardId, retries: result.retries });
    }
    deps.stats.invocations += result.invocations;
    deps.stats.retries += result.retries;
    deps.stats.bisections += result.bisections;
    deps.stats.sentToDestination += result.sentToDestination;
    return result;
  };

  while (!signal.aborted) {
    let fetched = 0;
    let closed = false;
    if (buffer.length < mapping.batch_size) {
      let out: GetRecordsCommandOutput;
      try {
        iterator ??= await getIterator();
        if (!iterator) {
          closed = true;
          out = { $metadata: {}, Records: [] };
        } else {
          out = await deps.client.send(
            new GetRecordsCommand({
              ShardIterator: iterator,
              Limit: Math.min(10_000, mapping.batch_size - buffer.length),
            }),
            { abortSignal: signal },
          );
          iterator = out.NextShardIterator;
          if (!iterator) closed = true;
        }
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        iterator = undefined;
        deps.log({ level: 'warn', msg: 'GetRecords failed; retrying', shardId, error: errorName(err) });
        await sleep(backoffDelayMs(failures, { baseDelayMs: 200, maxDelayMs: 10_000 }), signal).catch(
          () => undefined,
        );
        continue;
      }
      for (const r of out.Records ?? []) {
        if (!r.SequenceNumber) continue;
        if (buffer.length === 0) windowStart = now();
        buffer.push({
          sequenceNumber: r.SequenceNumber,
          partitionKey: r.PartitionKey ?? '',
          data: r.Data ?? new Uint8Array(),
          arrivedAt: r.ApproximateArrivalTimestamp?.getTime() ?? now(),
        });
        lastFetched = r.SequenceNumber;
        fetched++;
      }
      deps.stats.records += fetched;
      const ending = deps.endingSequence();
      if (!closed && fetched === 0 && ending !== undefined) {
        closed = lastFetched === undefined || compareSequence(lastFetched, ending) >= 0;
      }
    }
    const windowOver =
      mapping.maximum_batching_window_ms === 0 || now() - windowStart >= mapping.maximum_batching_window_ms;
    if (buffer.length > 0 && (buffer.length >= mapping.batch_size || windowOver || closed)) {
      const batch = buffer.splice(0, mapping.batch_size);
      windowStart = now();
      const result = await deliver(batch);
      if (!result.completed) break;
      continue;
    }
    if (closed && buffer.length === 0) {
      await deps.checkpoints.close(deps.streamName, shardId);
      deps.log({ level: 'info', msg: 'shard closed and fully processed', shardId });
      return 'closed';
    }
    if (fetched === 0) {
      const wait =
        buffer.length > 0
          ? Math.min(
              mapping.poll_interval_ms,
              Math.max(10, mapping.maximum_batching_window_ms - (now() - windowStart)),
            )
          : mapping.poll_interval_ms;
      await sleep(wait, signal).catch(() => undefined);
    }
  }
  return 'stopped';
}
