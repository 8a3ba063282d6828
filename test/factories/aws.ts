import { randomBytes } from 'node:crypto';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';

/** SDK client config pointing at the moto server (static test credentials, us-east-1). */
export function motoConfig(endpoint: string): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/** A unique resource name for tests sharing one moto server. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Creates a Kinesis stream and waits until it is active; `dispose()` deletes it. */
export async function createTestStream(
  client: KinesisClient,
  name: string,
  shards = 1,
): Promise<{ name: string; arn: string; dispose(): Promise<void> }> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists({ client, maxWaitTime: 60, minDelay: 1 }, { StreamName: name });
  const arn = `arn:aws:kinesis:us-east-1:123456789012:stream/${name}`;
  return {
    name,
    arn,
    async dispose() {
      await client.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
    },
  };
}

/** Reads every record currently in every shard of a stream (from TRIM_HORIZON). */
export async function readAllRecords(
  client: KinesisClient,
  streamName: string,
): Promise<{ partitionKey: string; data: Uint8Array; shardId: string }[]> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const out: { partitionKey: string; data: Uint8Array; shardId: string }[] = [];
  for (const shard of shards) {
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const res = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of res.Records ?? []) {
        out.push({
          partitionKey: r.PartitionKey ?? '',
          data: r.Data ?? new Uint8Array(),
          shardId: shard.ShardId ?? '',
        });
      }
      if ((res.Records ?? []).length === 0) break;
      iterator = res.NextShardIterator;
    }
  }
  return out;
}
