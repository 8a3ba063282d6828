import type { KinesisStreamEvent } from 'aws-lambda';
import { decodeKinesisEvent } from '../../ingest/aws-events.js';
import { openFileCheckpointStore } from '../../runner/checkpoint.js';
import { createFileDestination } from '../../runner/destination.js';
import { parseMappingOptions } from '../../runner/options.js';
import { createEventSourceRunner } from '../../runner/runner.js';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import type { StartConfig } from '../config.js';
import type { Pipeline } from '../pipeline.js';

/** The `sources.kinesis` part of the config. */
export type KinesisSourceConfig = NonNullable<StartConfig['sources']['kinesis']>;

/**
 * The Kinesis source: polls a stream of CloudWatch Logs subscription records (real AWS, or the moto
 * emulator with `endpoint`) through the local event source mapping (`runner/`), with checkpoints
 * and an on-failure file in the data folder. A batch is checkpointed once its events are in the
 * queue; an undecodable record is dead-lettered (stage `ingest`). Resolves when `signal` aborts.
 */
export async function runKinesisSource(
  cfg: KinesisSourceConfig,
  pipeline: Pipeline,
  o: { dataDir: string; env: NodeJS.ProcessEnv; signal: AbortSignal; log: (line: string) => void },
): Promise<void> {
  const emulator = cfg.endpoint !== undefined && !o.env.AWS_ACCESS_KEY_ID;
  const client = createKinesisClient({
    region: cfg.region,
    ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
    // An emulator takes any credentials; real AWS uses the default provider chain.
    ...(emulator ? { credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' } } : {}),
  });
  const runner = createEventSourceRunner({
    client,
    streamName: cfg.stream_name,
    region: cfg.region,
    functionName: 'sluice-start',
    mapping: parseMappingOptions({ starting_position: cfg.starting_position, poll_interval_ms: 500 }),
    checkpoints: await openFileCheckpointStore(`${o.dataDir}/kinesis-checkpoints.json`),
    destination: createFileDestination(`${o.dataDir}/kinesis-failures.ndjson`),
    handler: async (event: KinesisStreamEvent) => {
      const decoded = decodeKinesisEvent(event);
      for (const [i, { result }] of decoded.entries()) {
        if (result.kind === 'data') {
          if (!(await pipeline.submit({ kind: 'envelope', envelope: result.envelope }))) {
            throw new Error('sluice start is stopping; the batch is retried from its checkpoint next time');
          }
        } else if (result.kind === 'control') pipeline.skipControl();
        else await pipeline.rejectRecord(event.Records[i]?.kinesis.data ?? '', result.error);
      }
    },
    log: (entry) => {
      if (entry.level === 'warn' || entry.level === 'error')
        o.log(`sluice start: kinesis: ${entry.level}: ${entry.msg}`);
    },
  });
  try {
    await runner.run(o.signal);
  } finally {
    client.destroy();
  }
}
