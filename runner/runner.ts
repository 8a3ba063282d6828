import { setMaxListeners } from 'node:events';
import { type KinesisClient, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import type { KinesisStreamHandler } from 'aws-lambda';
import { backoffCeilingMs } from '../core/backoff.js';
import { sleep as defaultSleep } from '../core/sleep.js';
import type { CheckpointStore } from './checkpoint.js';
import type { FailureDestination } from './destination.js';
import type { MappingOptions } from './options.js';
import { type RunnerLogEntry, type RunnerStats, readShard } from './shard-reader.js';

/** Options of {@link createEventSourceRunner}. */
export interface EventSourceRunnerOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  /** Used in the events handed to the handler (`awsRegion`, `eventSourceARN`). */
  readonly region: string;
  readonly accountId?: string;
  readonly handler: KinesisStreamHandler;
  /** Name shown in the handler's `Context` (default `sluice-local`). */
  readonly functionName?: string;
  /** `getRemainingTimeInMillis()` budget per invocation (default 60 s). */
  readonly timeoutMs?: number;
  readonly mapping: MappingOptions;
  readonly checkpoints: CheckpointStore;
  readonly destination: FailureDestination;
  readonly log?: (entry: RunnerLogEntry) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/** A local Kinesis event source mapping for one stream and one handler. */
export interface EventSourceRunner {
  /** Polls until `signal` aborts; resolves once every shard loop has stopped and checkpointed. */
  run(signal: AbortSignal): Promise<RunnerStats>;
  /** Live counters. */
  readonly stats: RunnerStats;
}

async function listShards(client: KinesisClient, streamName: string, signal: AbortSignal): Promise<Shard[]> {
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(
      new ListShardsCommand(token ? { NextToken: token } : { StreamName: streamName }),
      { abortSignal: signal },
    );
    shards.push(...(out.Shards ?? []));
    token = out.NextToken;
  } while (token);
  return shards;
}

/**
 * Polls every shard of a Kinesis stream like a Lambda event source mapping and invokes
 * `handler` with the same events Lambda would: one loop per shard, child shards started once
 * their parents are closed and fully processed (resharding), checkpoints in `checkpoints`.
 */
export function createEventSourceRunner(opts: EventSourceRunnerOptions): EventSourceRunner {
  const stats: RunnerStats = {
    records: 0,
    invocations: 0,
    retries: 0,
    bisections: 0,
    sentToDestination: 0,
    shardsFinished: 0,
  };
  const log = opts.log ?? (() => undefined);
  const sleep = opts.sleep ?? defaultSleep;
  const streamArn = `arn:aws:kinesis:${opts.region}:${opts.accountId ?? '000000000000'}:stream/${opts.streamName}`;

  return {
    stats,
    async run(signal) {
      // Every shard loop and in-flight request listens to the one signal.
      setMaxListeners(0, signal);
      const running = new Map<string, Promise<void>>();
      const finished = new Set<string>();
      const endings = new Map<string, string>();
      let wake: (() => void) | undefined;
      let discoveryFailures = 0;
      while (!signal.aborted) {
        let shards: Shard[];
        try {
          shards = await listShards(opts.client, opts.streamName, signal);
          discoveryFailures = 0;
        } catch (err) {
          if (signal.aborted) break;
          discoveryFailures++;
          log({
            level: 'warn',
            msg: 'ListShards failed; retrying',
            stream: opts.streamName,
            error: (err as Error).name,
          });
          await sleep(
            backoffCeilingMs(discoveryFailures + 1, { baseDelayMs: 500, maxDelayMs: 30_000 }),
            signal,
          ).catch(() => undefined);
          continue;
        }
        const ids = new Set(shards.map((s) => s.ShardId ?? ''));
        for (const shard of shards) {
          const id = shard.ShardId;
          if (!id) continue;
          const ending = shard.SequenceNumberRange?.EndingSequenceNumber;
          if (ending !== undefined) endings.set(id, ending);
          if (running.has(id) || finished.has(id)) continue;
          if (opts.checkpoints.get(opts.streamName, id)?.closed) {
            finished.add(id);
            continue;
          }
          const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter(
            (p): p is string => typeof p === 'string' && ids.has(p),
          );
          if (!parents.every((p) => finished.has(p) || opts.checkpoints.get(opts.streamName, p)?.closed))
            continue;
          log({ level: 'info', msg: 'starting shard', stream: opts.streamName, shardId: id });
          const loop = readShard(id, {
            client: opts.client,
            streamName: opts.streamName,
            source: { streamArn, shardId: id, region: opts.region },
            handler: opts.handler,
            functionName: opts.functionName ?? 'sluice-local',
            timeoutMs: opts.timeoutMs ?? 60_000,
            mapping: opts.mapping,
            checkpoints: opts.checkpoints,
            destination: opts.destination,
            stats,
            fromTrimHorizon: Boolean(shard.ParentShardId),
            endingSequence: () => endings.get(id),
            log,
            sleep,
            now: opts.now,
            signal,
          }).then(
            (end) => {
              running.delete(id);
              if (end === 'closed') {
                finished.add(id);
                stats.shardsFinished++;
                wake?.();
              }
            },
            (err: unknown) => {
              running.delete(id);
              log({
                level: 'error',
                msg: 'shard loop failed; it will be restarted',
                shardId: id,
                error: (err as Error).name,
              });
              wake?.();
            },
          );
          running.set(id, loop);
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          sleep(opts.mapping.shard_discovery_interval_ms, signal).then(resolve, resolve);
        });
        wake = undefined;
      }
      await Promise.all(running.values());
      return { ...stats };
    },
  };
}
