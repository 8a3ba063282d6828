import { describe, expect, it } from 'vitest';
import { OnFailureError } from './errors.js';
import { parseOnFailureRecord } from './record.js';

const streamArn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/sluice-events';
const data = Buffer.from('{"message":"secret-token=abc"}').toString('base64');
const metadata = {
  requestContext: {
    requestId: 'c9b8fa9f-5a7f-4a2b-af9c-0c604cde93a5',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:sluice-sink:live',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 4,
  },
  responseContext: { statusCode: 200, executedVersion: '7', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2026-12-05T17:00:00.021Z',
  KinesisBatchInfo: {
    shardId: 'shardId-000000000001',
    startSequenceNumber: '49601189658422359378836298521827638475320189012309704722',
    endSequenceNumber: '49601189658422359378836298522902373528957594348623495186',
    approximateArrivalOfFirstRecord: '2026-12-05T16:38:04.835Z',
    approximateArrivalOfLastRecord: '2026-12-05T16:38:05.580Z',
    batchSize: 2,
    streamArn,
  },
};
// The invocation event as Lambda hands it to the function (and writes it to S3 as `payload`).
const event = {
  Records: [
    '49601189658422359378836298521827638475320189012309704722',
    '49601189658422359378836298522902373528957594348623495186',
  ].map((sequenceNumber, i) => ({
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: `sluice-${i}`,
      sequenceNumber,
      data,
      approximateArrivalTimestamp: 1_796_488_684.835,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000001:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/sluice-sink',
    awsRegion: 'eu-west-1',
    eventSourceARN: streamArn,
  })),
};

describe('parseOnFailureRecord', () => {
  it.each([
    ['Lambda’s S3 record (payload as an object)', { ...metadata, payload: event }],
    ['Lambda’s S3 record (payload as JSON text)', { ...metadata, payload: JSON.stringify(event) }],
    [
      'the local runner’s record',
      {
        ...metadata,
        records: event.Records.map((r) => ({
          sequenceNumber: r.kinesis.sequenceNumber,
          partitionKey: r.kinesis.partitionKey,
          data,
        })),
      },
    ],
  ])('reads the stream, the pointer and the records of %s', (_name, record) => {
    const batch = parseOnFailureRecord(JSON.stringify(record));
    expect(batch).toMatchObject({
      streamArn,
      streamName: 'sluice-events',
      region: 'eu-west-1',
      shardId: 'shardId-000000000001',
      condition: 'RetryAttemptsExhausted',
    });
    expect(batch.records?.map((r) => [r.partitionKey, r.data.toString('utf8')])).toEqual([
      ['sluice-0', '{"message":"secret-token=abc"}'],
      ['sluice-1', '{"message":"secret-token=abc"}'],
    ]);
  });

  it('reads a pointer-only record (SQS/SNS shape) as a batch without records', () => {
    expect(parseOnFailureRecord(JSON.stringify(metadata)).records).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"requestContext":', /not JSON/],
    [
      'a dead letter',
      JSON.stringify({ id: 'x', stage: 'sink', original: { message: 'secret-token=abc' } }),
      /KinesisBatchInfo/,
    ],
    [
      'a record whose payload lacks data',
      JSON.stringify({
        ...metadata,
        payload: { Records: [{ kinesis: { partitionKey: 'p', sequenceNumber: '1' } }] },
      }),
      /payload\.Records\.0\.kinesis\.data/,
    ],
    [
      'a record whose payload text is not JSON',
      JSON.stringify({ ...metadata, payload: 'secret-token=abc' }),
      /payload is text but not JSON/,
    ],
  ])('rejects %s with a typed error that names the field, not the content', (_name, text, message) => {
    let caught: unknown;
    try {
      parseOnFailureRecord(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OnFailureError);
    expect((caught as OnFailureError).code).toBe('ON_FAILURE_RECORD_INVALID');
    expect((caught as OnFailureError).message).toMatch(message);
    expect((caught as OnFailureError).message).not.toContain('secret-token');
  });
});
