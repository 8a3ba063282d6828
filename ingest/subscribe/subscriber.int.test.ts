import { randomBytes } from 'node:crypto';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteSubscriptionFilterCommand,
  DescribeSubscriptionFiltersCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateStreamCommand, DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHandler } from '../../lambda/auto-subscriber-handler.js';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import { parseSubscriberConfig } from './config.js';
import { SubscribeError } from './errors.js';
import { createSubscriber } from './subscriber.js';

const endpoint = inject('awsEndpoint');
const aws = {
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const logs = new CloudWatchLogsClient(aws);
// The shared factory gives the Kinesis client an HTTP/1.1 handler (its default, HTTP/2, fails on moto).
const kinesis = createKinesisClient(aws);

const run = randomBytes(4).toString('hex');
const base = `/sluice-it/${run}`;
const streamName = `sluice-it-raw-${run}`;
const streamArn = `arn:aws:kinesis:us-east-1:123456789012:stream/${streamName}`;
const roleArn = 'arn:aws:iam::123456789012:role/sluice-cwl-to-kinesis';
const groups = {
  included: [`${base}/lambda/orders`, `${base}/lambda/payments`],
  excluded: `${base}/lambda/sluice-transform`,
  outside: `${base}/rds/db`,
  full: `${base}/lambda/full`,
};
const allGroups = [...groups.included, groups.excluded, groups.outside, groups.full];

const config = parseSubscriberConfig({
  destination_arn: streamArn,
  role_arn: roleArn,
  filter_name: `sluice-${run}`,
  include: [`${base}/lambda/*`],
  exclude: [`${base}/lambda/sluice-*`],
});

async function filtersOf(logGroupName: string) {
  const out = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }));
  return out.subscriptionFilters ?? [];
}

beforeAll(async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
  for (const g of allGroups) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  // `full` already has the two subscription filters CloudWatch Logs allows.
  for (const n of ['a', 'b']) {
    await logs.send(
      new PutSubscriptionFilterCommand({
        logGroupName: groups.full,
        filterName: `other-${n}`,
        filterPattern: '',
        destinationArn: streamArn,
        roleArn,
      }),
    );
  }
});

afterAll(async () => {
  for (const g of allGroups) await logs.send(new DeleteLogGroupCommand({ logGroupName: g })).catch(() => {});
  await kinesis.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => {});
});

describe('auto-subscriber against the AWS emulator', () => {
  const subscriber = createSubscriber({ client: logs, config });

  it('subscribes existing matching groups once, skips excluded ones and reports the full group', async () => {
    const report = await subscriber.subscribeExisting();
    expect(report.counts.subscribed).toBe(2);
    expect(report.counts.skipped).toBe(1);
    expect(report.counts.limit_exceeded).toBe(1);
    expect(report.problems.map((p) => p.logGroupName)).toEqual([groups.full]);

    for (const g of groups.included) {
      const [filter, ...rest] = await filtersOf(g);
      expect(rest).toEqual([]);
      expect(filter).toMatchObject({
        filterName: config.filter_name,
        destinationArn: streamArn,
        roleArn,
        logGroupName: g,
      });
    }
    expect(await filtersOf(groups.excluded)).toEqual([]);
    expect(await filtersOf(groups.outside)).toEqual([]);

    const again = await subscriber.subscribeExisting();
    expect(again.counts.subscribed).toBe(0);
    expect(again.counts.unchanged).toBe(2);
  });

  it('subscribes a newly created group and ignores one outside the patterns', async () => {
    const fresh = `${base}/lambda/fresh`;
    allGroups.push(fresh);
    await logs.send(new CreateLogGroupCommand({ logGroupName: fresh }));
    expect(await subscriber.handle(fresh)).toEqual({ logGroupName: fresh, result: 'subscribed' });
    expect((await filtersOf(fresh)).map((f) => f.filterName)).toEqual([config.filter_name]);
    expect((await subscriber.handle(groups.outside)).result).toBe('skipped');
  });

  it('reports a group deleted before it could be subscribed as not_found', async () => {
    expect((await subscriber.handle(`${base}/lambda/never-created`)).result).toBe('not_found');
  });

  it('removes only its own filter on unsubscribe', async () => {
    const report = await subscriber.unsubscribeExisting();
    expect(report.counts.unsubscribed).toBe(3);
    for (const g of groups.included) expect(await filtersOf(g)).toEqual([]);
    expect((await filtersOf(groups.full)).map((f) => f.filterName).sort()).toEqual(['other-a', 'other-b']);
  });
});

describe('auto-subscriber handler against the AWS emulator', () => {
  const subscriber = createSubscriber({ client: logs, config });
  const seen: object[] = [];
  const log = { info: (o: object) => seen.push(o), warn: (o: object) => seen.push(o) };
  const handle = createHandler({ subscriber, filterName: config.filter_name, log });

  it('subscribes the group named by a CloudTrail CreateLogGroup event', async () => {
    const name = `${base}/lambda/from-event`;
    allGroups.push(name);
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const out = await handle({
      version: '0',
      id: 'e1',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      source: 'aws.logs',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { eventName: 'CreateLogGroup', requestParameters: { logGroupName: name } },
    });
    expect(out).toEqual({ logGroupName: name, result: 'subscribed' });
    expect((await filtersOf(name)).map((f) => f.destinationArn)).toEqual([streamArn]);
  });

  it('answers a custom-resource Create with a stable id and the counts', async () => {
    const out = await handle({
      RequestType: 'Create',
      ServiceToken: 'x',
      ResponseURL: 'https://example.invalid',
      StackId: 's',
      RequestId: 'r',
      LogicalResourceId: 'l',
      ResourceType: 'Custom::SluiceSubscribeExisting',
      ResourceProperties: { ServiceToken: 'x' },
    });
    expect(out).toMatchObject({
      PhysicalResourceId: `sluice-existing-log-groups-${config.filter_name}`,
      // orders, payments and fresh were unsubscribed above; from-event is already subscribed.
      Data: { subscribed: 3, unchanged: 1, limit_exceeded: 1, skipped: 1 },
    });
  });

  const createdEvent = (logGroupName: string) => ({
    version: '0',
    id: 'e2',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    source: 'aws.logs',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventName: 'CreateLogGroup', requestParameters: { logGroupName } },
  });

  it('fails the invocation (Lambda retries it, then queues it) when a new group cannot be subscribed', async () => {
    const failure = await handle(createdEvent(groups.full)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(SubscribeError);
    expect((failure as SubscribeError).code).toBe('SUBSCRIBE_NOT_SUBSCRIBED');
    expect((failure as SubscribeError).message).toContain(`${groups.full} (limit_exceeded)`);
  });

  it('subscribes every matching group again on {"sluice":"resubscribe"}, failing while one stays unsubscribed', async () => {
    const [orders] = groups.included as [string];
    await logs.send(
      new DeleteSubscriptionFilterCommand({ logGroupName: orders, filterName: config.filter_name }),
    );
    const failure = await handle({ sluice: 'resubscribe' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as SubscribeError).code).toBe('SUBSCRIBE_NOT_SUBSCRIBED');
    expect((await filtersOf(orders)).map((f) => f.filterName)).toEqual([config.filter_name]);
    // The operator frees a slot on the full group; the next run (or a re-drive) succeeds.
    await logs.send(
      new DeleteSubscriptionFilterCommand({ logGroupName: groups.full, filterName: 'other-a' }),
    );
    const out = await handle({ sluice: 'resubscribe' });
    expect(out).toMatchObject({ Data: { subscribed: 1, limit_exceeded: 0, failed: 0 } });
    expect((await filtersOf(groups.full)).map((f) => f.filterName).sort()).toEqual(
      ['other-b', config.filter_name].sort(),
    );
  });
});
