import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBatchMetrics, emptyCounts } from '../../lambda/metrics.js';
import { buildStack, testConfig } from '../../test/factories/infra.js';
import { DURATION_METRIC, PIPELINE_METRICS } from './pipeline-metrics.js';

type Alarm = {
  Properties: { MetricName?: string; Namespace?: string; Threshold?: number; AlarmActions?: unknown[] };
};

describe('SluiceMonitoring', { timeout: 120_000 }, () => {
  let t: Template;
  let alarms: Alarm[];
  beforeAll(() => {
    t = Template.fromStack(buildStack(testConfig({ metrics_namespace: 'Acme/Logs' })));
    alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
  }, 120_000);

  it.each([
    // Per stage: falling behind, and half way to the maximum record age (failure-alarms.ts).
    ['AWS/Lambda', 'IteratorAge', 4],
    // Per stage, and the auto-subscriber.
    ['AWS/Lambda', 'Errors', 3],
    ['AWS/Lambda', 'Throttles', 2],
    ['Acme/Logs', 'deadLettered', 2],
    ['Acme/Logs', 'notDelivered', 2],
    // The auto-subscriber's failure queue (the dead-letter queue too when store: sqs).
    ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 1],
    ['AWS/ES', 'ClusterStatus.red', 1],
    ['AWS/ES', 'ClusterStatus.yellow', 1],
    ['AWS/ES', 'FreeStorageSpace', 1],
    ['AWS/ES', 'JVMMemoryPressure', 1],
    ['AWS/ES', 'ClusterIndexWritesBlocked', 1],
    ['AWS/ES', 'AutomatedSnapshotFailure', 1],
    ['AWS/ES', 'CPUUtilization', 1],
    ['AWS/ES', 'MasterCPUUtilization', 1],
    ['AWS/ES', 'MasterJVMMemoryPressure', 1],
    ['AWS/ES', 'Nodes', 1],
    // No queue of pointers that expire with the stream: failed batches keep their records in S3.
    ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 0],
  ])('alarms on %s %s (%i)', (namespace, metric, count) => {
    expect(
      alarms.filter((a) => a.Properties.Namespace === namespace && a.Properties.MetricName === metric),
    ).toHaveLength(count);
  });

  it('lets only this account’s CloudWatch alarms use the topic key', () => {
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchAlarmsOfThisAccount',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:123456789012:alarm:*'],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('sizes the domain alarms to the domain: 6 nodes (3 data + 3 masters), 25% of the volume free', () => {
    const nodes = alarms.find((a) => a.Properties.MetricName === 'Nodes');
    expect(nodes?.Properties).toMatchObject({ Threshold: 6, ComparisonOperator: 'LessThanThreshold' });
    const free = alarms.find((a) => a.Properties.MetricName === 'FreeStorageSpace');
    expect(free?.Properties.Threshold).toBe(100 * 1024 * 0.25);
  });

  it('alarms on the KMS key of the domain only when it has a customer-managed one, on masters only when it has them', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const names = (tpl: Template) =>
      (Object.values(tpl.findResources('AWS::CloudWatch::Alarm')) as Alarm[]).map(
        (a) => a.Properties.MetricName,
      );
    const withKey = names(
      Template.fromStack(buildStack(testConfig({ opensearch: { mode: 'domain', kms_key_arn: key } }))),
    );
    expect(withKey).toEqual(expect.arrayContaining(['KMSKeyError', 'KMSKeyInaccessible']));
    const dev = names(Template.fromStack(buildStack(testConfig({ profile: 'dev' }))));
    expect(dev).not.toContain('KMSKeyError');
    expect(dev).not.toContain('MasterCPUUtilization');
    expect(dev).toContain('ClusterIndexWritesBlocked');
  });

  it('alarms on CloudWatch Logs delivery errors and throttling of the subscription filter', () => {
    const queries = alarms
      .map((a) => JSON.stringify((a.Properties as { Metrics?: unknown }).Metrics ?? ''))
      .filter((m) => m.includes('AWS/Logs'));
    expect(queries).toHaveLength(2);
    expect(queries.join()).toContain('SUM(DeliveryErrors)');
    expect(queries.join()).toContain('SUM(DeliveryThrottling)');
    for (const q of queries) expect(q).toContain("WHERE FilterName = 'sluice'");
  });

  it('gives every alarm a canary rolls back on a chance to fire inside the 5-minute canary', () => {
    const deployment = Object.values(t.findResources('AWS::CodeDeploy::DeploymentGroup'));
    expect(deployment).toHaveLength(2);
    const names = new Set(
      deployment.flatMap((g) =>
        (
          g as { Properties: { AlarmConfiguration: { Alarms: { Name: { Ref: string } }[] } } }
        ).Properties.AlarmConfiguration.Alarms.map((a) => a.Name.Ref),
      ),
    );
    expect(names.size).toBe(6);
    const all = t.findResources('AWS::CloudWatch::Alarm') as Record<
      string,
      { Properties: Record<string, number> }
    >;
    for (const id of names) {
      const p = all[id]?.Properties ?? {};
      const minutes = ((p['Period'] ?? 0) / 60) * (p['DatapointsToAlarm'] ?? p['EvaluationPeriods'] ?? 0);
      expect(minutes, id).toBeGreaterThan(0);
      expect(minutes, id).toBeLessThanOrEqual(3);
    }
  });

  it('sends every alarm to the encrypted topic, which mails the on-call address', () => {
    for (const a of alarms) {
      expect(JSON.stringify(a.Properties.AlarmActions)).toContain('MonitoringAlarms');
    }
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('charts the EMF metrics the handlers really publish (names and dimensions from lambda/metrics.ts)', () => {
    const lines: string[] = [];
    for (const stage of ['transform', 'sink'] as const) {
      createBatchMetrics({ namespace: 'Acme/Logs', stage, write: (l) => lines.push(l) }).publish({
        ...emptyCounts(),
        received: 1,
        events: 1,
        durationMs: 1,
        dropReasons: {},
      });
    }
    const emitted = lines.map(
      (l) =>
        JSON.parse(l) as {
          _aws: {
            CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
          };
          [k: string]: unknown;
        },
    );
    for (const [i, stage] of (['transform', 'sink'] as const).entries()) {
      const emf = emitted[i]!;
      const directive = emf._aws.CloudWatchMetrics[0]!;
      expect(directive.Namespace).toBe('Acme/Logs');
      expect(directive.Dimensions).toEqual([expect.arrayContaining(['service', 'stage'])]);
      expect(emf['service']).toBe('sluice');
      expect(emf['stage']).toBe(stage);
      const names = directive.Metrics.map((m) => m.Name);
      for (const n of [...PIPELINE_METRICS[stage], DURATION_METRIC]) expect(names).toContain(n);
    }
    const body = JSON.stringify(
      (Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: unknown }).Properties,
    );
    for (const n of [...PIPELINE_METRICS.transform, ...PIPELINE_METRICS.sink])
      expect(body).toContain(`\\"${n}\\"`);
    expect(body).toContain('Acme/Logs');
    expect(body).toContain('\\"service\\",\\"sluice\\",\\"stage\\",\\"sink\\"');
  });
});
