import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent, FirehoseTransformationEvent, KinesisStreamEvent } from 'aws-lambda';
import type { CwlEnvelope } from '../../ingest/envelope.js';

/** Builds a CloudWatch Logs `DATA_MESSAGE` with one event per message (ids and times ascending). */
export function makeEnvelope(
  messages: readonly string[],
  o: { logGroup?: string; logStream?: string; owner?: string; startMs?: number; idPrefix?: string } = {},
): CwlEnvelope {
  const start = o.startMs ?? Date.UTC(2024, 4, 1, 12, 0, 0);
  return {
    messageType: 'DATA_MESSAGE',
    owner: o.owner ?? '123456789012',
    logGroup: o.logGroup ?? '/aws/lambda/orders',
    logStream: o.logStream ?? '2024/05/01/[$LATEST]0123456789abcdef',
    subscriptionFilters: ['sluice'],
    logEvents: messages.map((message, i) => ({
      id: `${o.idPrefix ?? '3800000000000000000000000000000000000000000000'}${String(i).padStart(10, '0')}`,
      timestamp: start + i,
      message,
    })),
  };
}

/** The subscription `CONTROL_MESSAGE` CloudWatch Logs sends when a destination is set up. */
export const CONTROL_MESSAGE = {
  messageType: 'CONTROL_MESSAGE',
  owner: 'CloudwatchLogs',
  logGroup: '',
  logStream: '',
  subscriptionFilters: [],
  logEvents: [
    {
      id: '',
      timestamp: 1714564800000,
      message: 'CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.',
    },
  ],
};

/** gzip bytes of a payload as CloudWatch Logs sends it (JSON text, or raw bytes as given). */
export function gzipPayload(payload: unknown): Buffer {
  const bytes = payload instanceof Uint8Array ? payload : Buffer.from(JSON.stringify(payload));
  return gzipSync(bytes);
}

/** base64 of the gzip of a payload: the `data` of a Kinesis / Firehose record or `awslogs.data`. */
export function encodeCwlData(payload: unknown): string {
  return gzipPayload(payload).toString('base64');
}

const sequenceNumber = (i: number): string =>
  String(49590338271490256608559692538361571095921575989136588898n + BigInt(i));

/** A Lambda `KinesisStreamEvent` whose records carry the given base64 data. */
export function kinesisEventOf(datas: readonly string[]): KinesisStreamEvent {
  return {
    Records: datas.map((data, i) => ({
      awsRegion: 'us-east-1',
      eventID: `shardId-000000000000:${sequenceNumber(i)}`,
      eventName: 'aws:kinesis:record',
      eventSource: 'aws:kinesis',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/sluice-raw',
      eventVersion: '1.0',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/sluice-transform',
      kinesis: {
        approximateArrivalTimestamp: 1714564800.123,
        data,
        kinesisSchemaVersion: '1.0',
        partitionKey: `pk-${i}`,
        sequenceNumber: sequenceNumber(i),
      },
    })),
  };
}

/** A Firehose transformation event whose records carry the given base64 data. */
export function firehoseEventOf(datas: readonly string[]): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/sluice',
    region: 'us-east-1',
    records: datas.map((data, i) => ({
      recordId: `record-${i}`,
      approximateArrivalTimestamp: 1714564800123,
      data,
    })),
  };
}

/** A CloudWatch Logs → Lambda subscription event. */
export function awslogsEventOf(data: string): CloudWatchLogsEvent {
  return { awslogs: { data } };
}
