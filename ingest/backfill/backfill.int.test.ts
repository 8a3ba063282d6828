import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import { createTestStream, motoConfig, readAllRecords, uniqueName } from '../../test/factories/aws.js';
import { compileNormalizer } from '../../transform/normalize.js';
import { decodeCwlData } from '../decode.js';
import type { CwlEnvelope } from '../envelope.js';
import { compileLogGroupMatcher } from '../subscribe/matcher.js';
import { BackfillError, backfill } from './backfill.js';

const aws = motoConfig(inject('awsEndpoint'));
const logs = new CloudWatchLogsClient(aws);
const kinesis = createKinesisClient(aws);
const base = `/${uniqueName('sluice-backfill')}`;
const groups = {
  orders: `${base}/lambda/orders`,
  payments: `${base}/lambda/payments`,
  skipped: `${base}/lambda/sluice-transform`,
};
const now = Date.now();
const t0 = now - 10 * 60_000;
const matcher = compileLogGroupMatcher({
  include: [`${base}/lambda/*`],
  exclude: [`${base}/lambda/sluice-*`],
});

async function put(group: string, stream: string, events: { at: number; message: string }[]): Promise<void> {
  await logs
    .send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }))
    .catch(() => undefined);
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: events.map((e) => ({ timestamp: e.at, message: e.message })),
    }),
  );
}

beforeAll(async () => {
  for (const g of Object.values(groups)) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  await put(groups.orders, 'a', [
    { at: t0 - 30 * 60_000, message: 'before the range' },
    ...Array.from({ length: 3 }, (_, i) => ({ at: t0 + i, message: `{"level":30,"msg":"order ${i}"}` })),
  ]);
  await put(groups.orders, 'b', [{ at: t0 + 5, message: 'START RequestId: 1b2c Version: $LATEST' }]);
  await put(groups.payments, 'a', [{ at: t0 + 7, message: 'paid' }]);
  await put(groups.skipped, 'a', [{ at: t0 + 9, message: 'the pipeline itself' }]);
});

afterAll(async () => {
  for (const g of Object.values(groups)) await logs.send(new DeleteLogGroupCommand({ logGroupName: g }));
  logs.destroy();
  kinesis.destroy();
});

describe('backfill (moto)', () => {
  it('writes the range of every matching group to the raw stream as subscription payloads', async () => {
    const stream = await createTestStream(kinesis, uniqueName('sluice-backfill-raw'));
    try {
      const seen: string[] = [];
      const all = {
        logs,
        kinesis,
        streamName: stream.name,
        matcher,
        startMs: t0 - 60_000,
        endMs: now + 60_000,
      };
      const report = await backfill({ ...all, onGroup: (g) => seen.push(`${g.logGroup}:${g.events}`) });
      expect(seen.sort()).toEqual([`${groups.orders}:4`, `${groups.payments}:1`]);
      expect(report).toMatchObject({ events: 5, records: 3, requests: 2 });

      const envelopes: CwlEnvelope[] = [];
      for (const r of await readAllRecords(kinesis, stream.name)) {
        const d = decodeCwlData(r.data);
        if (d.kind !== 'data') throw new Error(`record did not decode: ${d.kind}`);
        envelopes.push(d.envelope);
      }
      const lines = envelopes
        .flatMap((e) =>
          e.logEvents.map((l) => `${e.logGroup.slice(base.length)} ${e.logStream} ${l.message}`),
        )
        .sort();
      expect(lines).toEqual([
        '/lambda/orders a {"level":30,"msg":"order 0"}',
        '/lambda/orders a {"level":30,"msg":"order 1"}',
        '/lambda/orders a {"level":30,"msg":"order 2"}',
        '/lambda/orders b START RequestId: 1b2c Version: $LATEST',
        '/lambda/payments a paid',
      ]);
      for (const e of envelopes) {
        expect(e.owner).toBe('123456789012');
        expect(e.subscriptionFilters).toEqual(['sluice-backfill']);
      }
      // The transform reads them like live payloads: ids kept, origin and account set.
      const events = envelopes.flatMap((e) => [...compileNormalizer().envelope(e)]);
      expect(events).toHaveLength(5);
      expect(new Set(events.map((e) => e.event.id)).size).toBe(5);
      expect(events.every((e) => e.cloud?.account?.id === '123456789012')).toBe(true);

      // A dry run reads the same and writes nothing.
      const dry = await backfill({ ...all, dryRun: true });
      expect(dry).toMatchObject({ events: 5, records: 3, requests: 0 });
      expect(await readAllRecords(kinesis, stream.name)).toHaveLength(3);
    } finally {
      await stream.dispose();
    }
  });

  it('reads only the time range asked for', async () => {
    const report = await backfill({
      logs,
      kinesis,
      streamName: 'unused',
      matcher,
      startMs: t0 - 40 * 60_000,
      endMs: t0 + 1,
      dryRun: true,
    });
    expect(report.groups.map((g) => `${g.logGroup.slice(base.length)}:${g.events}`).sort()).toEqual([
      '/lambda/orders:2',
      '/lambda/payments:0',
    ]);
  });

  it('stops with a typed error naming the stream when it does not exist', async () => {
    const missing = uniqueName('sluice-backfill-missing');
    await expect(
      backfill({ logs, kinesis, streamName: missing, matcher, startMs: t0 - 60_000, endMs: now + 60_000 }),
    ).rejects.toThrow(BackfillError);
    await expect(
      backfill({ logs, kinesis, streamName: missing, matcher, startMs: t0 - 60_000, endMs: now + 60_000 }),
    ).rejects.toThrow(new RegExp(`stream ${missing} failed \\(ResourceNotFoundException`));
  });
});
