import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { LogEvent } from '../../transform/schema.js';

/** A valid `LogEvent` with overridable parts (for tests of the Kinesis stages). */
export function makeLogEvent(
  n: number,
  over: { transactionId?: string; message?: string; attributes?: Record<string, unknown> } = {},
): LogEvent {
  const ts = new Date(Date.UTC(2024, 4, 1, 12, 0, 0, n)).toISOString();
  return {
    '@timestamp': ts,
    message: over.message ?? `message ${n}`,
    log: { level: 'info', format: 'json' },
    service: { name: 'svc' },
    ...(over.transactionId !== undefined ? { transaction: { id: over.transactionId } } : {}),
    event: { id: `evt-${String(n).padStart(8, '0')}`, ingested: ts },
    aws: { cloudwatch: { log_group: '/aws/lambda/svc', log_stream: 'stream-1' } },
    attributes: over.attributes ?? {},
  };
}

/** A Kinesis stream event as Lambda hands it to a handler, from raw record payloads. */
export function makeKinesisEvent(
  payloads: readonly (Uint8Array | string)[],
  opts: { streamArn?: string; firstSequence?: bigint; partitionKey?: string } = {},
): KinesisStreamEvent {
  const arn = opts.streamArn ?? 'arn:aws:kinesis:us-east-1:123456789012:stream/test';
  const first = opts.firstSequence ?? 49_000_000_000_000_000_000n;
  const Records: KinesisStreamRecord[] = payloads.map((p, i) => ({
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: opts.partitionKey ?? `pk-${i}`,
      sequenceNumber: String(first + BigInt(i)),
      data:
        typeof p === 'string' ? Buffer.from(p, 'utf8').toString('base64') : Buffer.from(p).toString('base64'),
      approximateArrivalTimestamp: 1_714_564_800 + i,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${String(first + BigInt(i))}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/test',
    awsRegion: 'us-east-1',
    eventSourceARN: arn,
  }));
  return { Records };
}
