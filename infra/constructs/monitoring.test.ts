import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBatchMetrics, emptyCounts } from '../../lambda/metrics.js';
import { buildStack, testConfig } from '../test-support.js';
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
    ['AWS/Lambda', 'IteratorAge', 2],
    ['AWS/Lambda', 'Errors', 2],
    ['AWS/Lambda', 'Throttles', 2],
    ['Acme/Logs', 'deadLettered', 2],
    ['Acme/Logs', 'notDelivered', 2],
    ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 1],
    ['AWS/ES', 'ClusterStatus.red', 1],
    ['AWS/ES', 'ClusterStatus.yellow', 1],
    ['AWS/ES', 'FreeStorageSpace', 1],
    ['AWS/ES', 'JVMMemoryPressure', 1],
  ])('alarms on %s %s (%i)', (namespace, metric, count) => {
    expect(
      alarms.filter((a) => a.Properties.Namespace === namespace && a.Properties.MetricName === metric),
    ).toHaveLength(count);
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
