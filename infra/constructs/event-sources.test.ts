import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../../test/factories/infra.js';

type Props = Record<string, unknown>;
const mappingOf = (t: Template, stream: 'Raw' | 'Events'): Props => {
  const found = Object.values(
    t.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: { EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^Streams${stream}`), 'Arn'] } },
    }),
  );
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Props }).Properties;
};
const alarmsWith = (t: Template, description: RegExp) =>
  Object.values(t.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
    description.test(String((a as { Properties: Props }).Properties['AlarmDescription'])),
  ) as { Properties: Props }[];

describe('stream consumers (event source mappings)', { timeout: 120_000 }, () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(buildStack());
  }, 120_000);

  it('maps each stream to its stage’s live alias with bisect and partial batch responses', () => {
    const targets = Object.values(t.findResources('AWS::Lambda::EventSourceMapping')).map((m) =>
      JSON.stringify((m as { Properties: Props }).Properties['FunctionName']),
    );
    expect(targets.sort()).toEqual([
      expect.stringMatching(/FunctionsSink.*:live/),
      expect.stringMatching(/FunctionsTransform.*:live/),
    ]);
    for (const stream of ['Raw', 'Events'] as const) {
      expect(mappingOf(t, stream)).toMatchObject({
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        StartingPosition: 'TRIM_HORIZON',
        ParallelizationFactor: 2,
        MetricsConfig: { Metrics: ['EventCount'] },
      });
    }
  });

  it('retries until the records are an hour short of the stream’s retention, not a few times', () => {
    // A cluster that is blocked hands batches back as not delivered: those retries must last as
    // long as the stream keeps the records (24 h here), so they never run out in minutes.
    for (const stream of ['Raw', 'Events'] as const) {
      expect(mappingOf(t, stream)).toMatchObject({
        MaximumRetryAttempts: -1,
        MaximumRecordAgeInSeconds: 23 * 3600,
      });
    }
    const week = Template.fromStack(buildStack(testConfig({ streams: { retention_hours: 168 } })));
    expect(mappingOf(week, 'Events')['MaximumRecordAgeInSeconds']).toBe(167 * 3600);
  });

  it('takes bounded retries and a shorter age from config', () => {
    const bounded = Template.fromStack(
      buildStack(testConfig({ functions: { sink: { retry_attempts: 5, max_record_age_s: 7200 } } })),
    );
    expect(mappingOf(bounded, 'Events')).toMatchObject({
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 7200,
    });
    expect(mappingOf(bounded, 'Raw')['MaximumRetryAttempts']).toBe(-1);
  });

  it('gives up on a batch into the dead-letter bucket, records included, never into a queue', () => {
    for (const stream of ['Raw', 'Events'] as const) {
      expect(mappingOf(t, stream)['DestinationConfig']).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLettersBucket/), 'Arn'] } },
      });
    }
    t.resourceCountIs('AWS::SQS::Queue', 2); // the auto-subscriber's failures + the handlers' dead letters
  });

  it('lets each stage write its on-failure records under aws/lambda/ only, encrypted with the key', () => {
    const allowed = (role: string, statement: Props) =>
      t.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp(`^${role}`) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
      });
    for (const role of ['FunctionsTransformRole', 'FunctionsSinkRole']) {
      allowed(role, {
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': [
            '',
            [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLettersBucket'), 'Arn'] }, '/aws/lambda/*'],
          ],
        },
      });
      allowed(role, {
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsKey'), 'Arn'] },
      });
    }
  });

  it('alarms long before a record would be given up on, when one is, and when one is lost', () => {
    const near = alarmsWith(t, /half way to its maximum age/);
    expect(near.map((a) => a.Properties['Threshold']).sort()).toEqual([41_400_000, 41_400_000]);
    expect(near[0]?.Properties).toMatchObject({ MetricName: 'IteratorAge', Statistic: 'Maximum' });
    const kept = alarmsWith(t, /wrote them to the on-failure bucket/);
    expect(kept).toHaveLength(2);
    expect(kept[0]?.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'OnFailureDestinationDeliveredEventCount',
      Dimensions: [
        { Name: 'EventSourceMappingUUID', Value: { Ref: expect.stringMatching(/KinesisEventSource/) } },
      ],
      Threshold: 1,
    });
    const lost = alarmsWith(t, /dropped without reaching the on-failure bucket/);
    expect(lost).toHaveLength(2);
    const metrics = lost[0]?.Properties['Metrics'] as {
      Id: string;
      Expression?: string;
      MetricStat?: Props;
    }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('FILL(dropped, 0) - FILL(kept, 0)');
    expect(
      metrics
        .map((m) => (m.MetricStat?.['Metric'] as Props | undefined)?.['MetricName'])
        .filter(Boolean)
        .sort(),
    ).toEqual(['DroppedEventCount', 'OnFailureDestinationDeliveredEventCount']);
    for (const a of [...near, ...kept, ...lost]) {
      expect(JSON.stringify(a.Properties['AlarmActions'])).toContain('MonitoringAlarms');
    }
  });
});
