import { describe, expect, it } from 'vitest';
import { judgeResponse, type RunnerRecord, toKinesisEvent } from './event.js';

const recs: RunnerRecord[] = ['10', '11', '12'].map((s) => ({
  sequenceNumber: s,
  partitionKey: `pk${s}`,
  data: Buffer.from(`d${s}`),
  arrivedAt: 1_714_564_800_500,
}));

describe('judgeResponse', () => {
  it.each([
    [undefined, { kind: 'success' }],
    [null, { kind: 'success' }],
    [{}, { kind: 'success' }],
    [{ batchItemFailures: [] }, { kind: 'success' }],
    [
      { batchItemFailures: [{ itemIdentifier: '12' }, { itemIdentifier: '11' }] },
      { kind: 'partial', index: 1 },
    ],
    [{ batchItemFailures: [{ itemIdentifier: '10' }] }, { kind: 'partial', index: 0 }],
    [
      { batchItemFailures: [{ itemIdentifier: '99' }] },
      { kind: 'error', reason: expect.stringContaining('not in the batch') },
    ],
    [
      { batchItemFailures: [{ itemIdentifier: '' }] },
      { kind: 'error', reason: expect.stringContaining('no itemIdentifier') },
    ],
    [{ batchItemFailures: 'x' }, { kind: 'error', reason: expect.stringContaining('not an array') }],
  ])('judges %j', (response, verdict) => {
    expect(judgeResponse(recs, response, true)).toEqual(verdict);
  });

  it('ignores the response without ReportBatchItemFailures', () => {
    expect(judgeResponse(recs, { batchItemFailures: [{ itemIdentifier: '10' }] }, false)).toEqual({
      kind: 'success',
    });
  });
});

describe('toKinesisEvent', () => {
  it('builds the event Lambda would pass', () => {
    const event = toKinesisEvent(recs.slice(0, 1), {
      streamArn: 'arn:aws:kinesis:us-east-1:1:stream/s',
      shardId: 'shardId-000000000001',
      region: 'us-east-1',
    });
    expect(event.Records[0]).toMatchObject({
      eventSource: 'aws:kinesis',
      eventID: 'shardId-000000000001:10',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:1:stream/s',
      kinesis: { sequenceNumber: '10', partitionKey: 'pk10', data: Buffer.from('d10').toString('base64') },
    });
    expect(event.Records[0]!.kinesis.approximateArrivalTimestamp).toBeCloseTo(1_714_564_800.5);
  });
});
