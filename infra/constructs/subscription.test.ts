import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../../test/factories/infra.js';

type Props = Record<string, unknown>;

describe('SluiceSubscription', { timeout: 120_000 }, () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(buildStack());
  }, 120_000);

  it('subscribes each configured log group to "raw" through the CloudWatch Logs role', () => {
    t.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: '/aws/lambda/legacy',
      FilterName: 'sluice',
      FilterPattern: '',
      DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsRaw'), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubscriptionCwlRole'), 'Arn'] },
    });
  });

  it('lets only CloudWatch Logs of this and the member accounts assume the role', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'logs.amazonaws.com' },
            Condition: {
              StringLike: {
                'aws:SourceArn': [
                  { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:*']] },
                  { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:210987654321:*']] },
                ],
              },
            },
          }),
        ],
      },
    });
  });

  it('routes CloudTrail CreateLogGroup events to the auto-subscriber with retries and a dead-letter queue', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'sluice-subscribe-new-log-groups',
      EventPattern: {
        source: ['aws.logs'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['logs.amazonaws.com'], eventName: ['CreateLogGroup'] },
      },
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: {
            Arn: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^SubscriptionAutoSubscriberFailuresQueue'), 'Arn'],
            },
          },
        }),
      ],
    });
  });

  it('records a failed asynchronous invocation on the failure queue after Lambda’s two retries', () => {
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^SubscriptionAutoSubscriber') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^SubscriptionAutoSubscriberFailuresQueue'), 'Arn'],
          },
        },
      },
    });
    // Lambda sends with the function's role: SendMessage and the key actions, nothing wider.
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^SubscriptionAutoSubscriberRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
            Resource: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^SubscriptionAutoSubscriberFailuresQueue'), 'Arn'],
            },
          }),
          Match.objectLike({
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsKey'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('lets EventBridge use the queue’s key for the auto-subscriber’s rules only', () => {
    const keys = Object.values(t.findResources('AWS::KMS::Key')) as { Properties: Props }[];
    const statements = keys.flatMap((k) => (k.Properties['KeyPolicy'] as { Statement: Props[] }).Statement);
    const events = statements.filter((s) => JSON.stringify(s['Principal']).includes('events.amazonaws.com'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: {
        ArnEquals: {
          'aws:SourceArn': [
            {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':events:us-east-1:123456789012:rule/sluice-subscribe-new-log-groups',
                ],
              ],
            },
            {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':events:us-east-1:123456789012:rule/sluice-resubscribe-log-groups',
                ],
              ],
            },
          ],
        },
        StringEquals: { 'aws:SourceAccount': '123456789012' },
      },
    });
    // The queue policy the CDK adds for the targets' dead-letter queue is scoped the same way.
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('subscribes every matching group again on a schedule, and not at all when set to 0', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'sluice-resubscribe-log-groups',
      ScheduleExpression: 'rate(1 day)',
      Targets: [
        Match.objectLike({
          Input: JSON.stringify({ sluice: 'resubscribe' }),
          DeadLetterConfig: Match.objectLike({}),
        }),
      ],
    });
    const off = Template.fromStack(
      buildStack(testConfig({ subscription: { include: ['/x/*'], resubscribe_every_hours: 0 } })),
    );
    off.resourceCountIs('AWS::Events::Rule', 1);
  });

  it('alarms when the auto-subscriber fails, when failures are queued, and when they cannot be queued', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as { Properties: Props }[];
    const about = (re: RegExp) => alarms.filter((a) => re.test(String(a.Properties['AlarmDescription'])));
    expect(about(/^auto-subscriber: an invocation failed/)[0]?.Properties).toMatchObject({
      MetricName: 'Errors',
      Threshold: 1,
    });
    expect(about(/^auto-subscriber: log groups it could not subscribe/)[0]?.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
    });
    expect(about(/^auto-subscriber: a failed event could not be written/)[0]?.Properties).toMatchObject({
      MetricName: 'DestinationDeliveryFailures',
      Namespace: 'AWS/Lambda',
    });
    for (const a of about(/^auto-subscriber/)) {
      expect(JSON.stringify(a.Properties['AlarmActions'])).toContain('MonitoringAlarms');
    }
  });

  it('excludes the pipeline’s own log groups from auto-subscription (no feedback loop)', () => {
    const fns = t.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^Sluice auto-subscriber') },
    });
    const env = (Object.values(fns)[0] as { Properties: { Environment: { Variables: Props } } }).Properties
      .Environment.Variables;
    expect(env['SLUICE_INCLUDE_PATTERNS']).toBe('/aws/lambda/*');
    const exclude = JSON.stringify(env['SLUICE_EXCLUDE_PATTERNS']);
    for (const own of [
      'FunctionsTransformLogs',
      'FunctionsSinkLogs',
      'SubscriptionAutoSubscriberLogs',
      'SubscriptionSubscribeExistingProviderLogs',
      'OpenSearchAccessMapperLogs',
      'OpenSearchAccessMapperProviderLogs',
    ]) {
      expect(exclude).toContain(own);
    }
    expect(env['SLUICE_DESTINATION_ARN']).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^StreamsRaw/), 'Arn'],
    });
  });

  it('subscribes existing groups once at deploy, re-running when the patterns change', () => {
    t.hasResourceProperties('Custom::SluiceSubscribeExisting', {
      include: ['/aws/lambda/*'],
      filterName: 'sluice',
      filterPattern: '',
    });
  });

  it('limits the auto-subscriber to the subscription actions and passing the one role', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^SubscriptionAutoSubscriberRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'logs:DescribeLogGroups',
              'logs:DescribeSubscriptionFilters',
              'logs:PutSubscriptionFilter',
              'logs:DeleteSubscriptionFilter',
            ],
          }),
          Match.objectLike({
            Action: 'iam:PassRole',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubscriptionCwlRole'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('offers member accounts a CloudWatch Logs destination on "raw"', () => {
    const dests = Object.values(t.findResources('AWS::Logs::Destination'));
    expect(dests).toHaveLength(1);
    const props = (dests[0] as { Properties: Props }).Properties;
    expect(props['DestinationName']).toBe('sluice-destination');
    expect(JSON.stringify(props['TargetArn'])).toContain('StreamsRaw');
    const policy = JSON.stringify(props['DestinationPolicy']);
    expect(policy).toContain('210987654321');
    expect(policy).toContain('logs:PutSubscriptionFilter');
  });

  it('creates nothing that makes CloudWatch Logs write before the policy that lets it (first deploy)', () => {
    const policy = Object.keys(t.findResources('AWS::IAM::Policy')).find((id) =>
      id.startsWith('SubscriptionCwlRoleDefaultPolicy'),
    );
    expect(policy).toBeDefined();
    const dependents = {
      ...t.findResources('AWS::Logs::SubscriptionFilter'),
      ...t.findResources('AWS::Logs::Destination'),
      ...t.findResources('Custom::SluiceSubscribeExisting'),
    };
    expect(Object.keys(dependents).length).toBeGreaterThanOrEqual(3);
    for (const [id, r] of Object.entries(dependents)) {
      expect((r as { DependsOn?: string[] }).DependsOn, id).toContain(policy);
    }
  });

  it('uses one account-level subscription policy that excludes every log group of the stack', () => {
    const a = Template.fromStack(
      buildStack(
        testConfig({
          subscription: { mode: 'account_policy', exclude: ['/aws/lambda/noisy'] },
          opensearch: { mode: 'domain', vpc: { mode: 'create' } },
        }),
      ),
    );
    a.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    a.resourceCountIs('AWS::Events::Rule', 0);
    const policies = Object.entries(a.findResources('AWS::Logs::AccountPolicy'));
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0] as [string, { Properties: Props; DependsOn?: string[] }];
    const props = policy.Properties;
    expect(props).toMatchObject({ PolicyType: 'SUBSCRIPTION_FILTER_POLICY', Scope: 'ALL' });
    const criteria = JSON.stringify(props['SelectionCriteria']);
    expect(criteria).toContain('LogGroupName NOT IN');
    expect(criteria).toContain('/aws/lambda/noisy');
    // Found by construction: the handlers', the providers', the domain's slow/app/audit logs and
    // the VPC flow logs, and the log group of every function without one of its own.
    const groups = Object.keys(a.findResources('AWS::Logs::LogGroup'));
    expect(groups.some((g) => g.includes('SlowSearchLogs'))).toBe(true);
    expect(groups.some((g) => g.startsWith('OpenSearchVpc'))).toBe(true);
    for (const g of groups) expect(criteria).toContain(`{"Ref":"${g}"}`);
    const bare = Object.entries(a.findResources('AWS::Lambda::Function')).filter(
      ([, f]) => !(f as { Properties: Props }).Properties['LoggingConfig'],
    );
    expect(bare.length).toBeGreaterThan(0);
    for (const [id] of bare) expect(criteria).toContain(`/aws/lambda/",{"Ref":"${id}"}`);
    expect(policy.DependsOn?.some((d) => d.startsWith('SubscriptionCwlRoleDefaultPolicy'))).toBe(true);
    const doc = JSON.stringify(props['PolicyDocument']);
    expect(doc).toContain('DestinationArn');
    expect(doc).toContain('StreamsRaw');
  });
});
