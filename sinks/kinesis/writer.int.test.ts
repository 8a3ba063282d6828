import type { KinesisClient, PutRecordsCommand, PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestStream, motoConfig, readAllRecords, uniqueName } from '../../test/factories/aws.js';
import { makeLogEvent } from '../../test/factories/kinesis.js';
import { createKinesisClient } from './client.js';
import { decodeEventsRecord } from './codec.js';
import { partitionKeyFor } from './pack.js';
import { createKinesisEventWriter, type PutRecordsClient } from './writer.js';

/** Wraps a real client: entries whose partition key is in `failKeys` fail the first `times` calls. */
function flaky(
  client: KinesisClient,
  failKeys: Set<string>,
  times: number,
): PutRecordsClient & { calls: number } {
  const seen = new Map<string, number>();
  const wrapper = {
    calls: 0,
    async send(
      command: PutRecordsCommand,
      options?: { abortSignal?: AbortSignal },
    ): Promise<PutRecordsCommandOutput> {
      wrapper.calls++;
      const input = command.input;
      const records = input.Records ?? [];
      const failing = records.map((r) => {
        const key = r.PartitionKey ?? '';
        if (!failKeys.has(key)) return false;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        return n <= times;
      });
      const pass = records.filter((_, i) => !failing[i]);
      const real =
        pass.length > 0
          ? await client.send(
              new (command.constructor as typeof PutRecordsCommand)({ ...input, Records: pass }),
              options,
            )
          : undefined;
      let j = 0;
      return {
        $metadata: real?.$metadata ?? {},
        FailedRecordCount: failing.filter(Boolean).length + (real?.FailedRecordCount ?? 0),
        Records: records.map((_, i) =>
          failing[i]
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'injected' }
            : real!.Records![j++]!,
        ),
      };
    },
  };
  return wrapper;
}

describe('Kinesis event writer against moto', () => {
  const client = createKinesisClient(motoConfig(inject('awsEndpoint')));
  let stream: Awaited<ReturnType<typeof createTestStream>>;

  beforeAll(async () => {
    stream = await createTestStream(client, uniqueName('sluice-writer'), 2);
  });
  afterAll(async () => {
    await stream.dispose();
    client.destroy();
  });

  it('retries partial failures and delivers every event exactly once', async () => {
    const events = Array.from({ length: 300 }, (_, i) => makeLogEvent(i, { transactionId: `tx-${i % 40}` }));
    const wrapper = flaky(client, new Set(['tx-3', 'tx-17', 'tx-29'].map((tx) => partitionKeyFor(tx))), 2);
    const writer = createKinesisEventWriter({
      client: wrapper,
      streamName: stream.name,
      baseDelayMs: 5,
      maxDelayMs: 20,
      maxRecordBytes: 4096,
    });
    const report = await writer.write(events);
    expect(report.counts).toEqual({ put: 300, rejected: 0, not_delivered: 0 });
    expect(report.stats.attempts).toBe(3);
    const stored = await readAllRecords(client, stream.name);
    const ids = stored.flatMap((r) => decodeEventsRecord(r.data).events.map((e) => e.event.id));
    expect(ids.sort()).toEqual(events.map((e) => e.event.id).sort());
    for (const r of stored) {
      for (const e of decodeEventsRecord(r.data).events)
        expect(partitionKeyFor(e.transaction?.id ?? '')).toBe(r.partitionKey);
    }
  });

  it('reports per event what still fails after the last attempt, and rejects oversized events', async () => {
    const events = [
      makeLogEvent(1, { transactionId: 'ok' }),
      makeLogEvent(2, { transactionId: 'doomed' }),
      makeLogEvent(3, { transactionId: 'big', message: 'x'.repeat(5000) }),
      makeLogEvent(4, { transactionId: 'doomed' }),
    ];
    expect(partitionKeyFor('ok')).not.toBe(partitionKeyFor('doomed'));
    const writer = createKinesisEventWriter({
      client: flaky(client, new Set([partitionKeyFor('doomed')]), 99),
      streamName: stream.name,
      maxAttempts: 3,
      baseDelayMs: 1,
      maxRecordBytes: 4096,
    });
    const report = await writer.write(events);
    expect(report.results).toEqual(['put', 'not_delivered', 'rejected', 'not_delivered']);
    expect(report.errors[1]?.code).toBe('KINESIS_PUT_FAILED');
    expect(report.errors[1]?.message).toContain('ProvisionedThroughputExceededException');
    expect(report.errors[2]?.code).toBe('KINESIS_EVENT_TOO_LARGE');
    expect(report.errors[0]).toBeUndefined();
  });
});
