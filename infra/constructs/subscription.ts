import { CustomResource, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { SluiceInfraConfig } from '../config/index.js';
import { acknowledge, acknowledgeProviderFramework, acknowledgeRuntime } from '../nag.js';
import type { FunctionFactory } from './code.js';
import { allowOwnLogs, allowQueueSend, allowStreamWrite } from './grants.js';
import type { SluiceStreams } from './streams.js';

/** Props of {@link SluiceSubscription}. */
export interface SluiceSubscriptionProps {
  readonly config: SluiceInfraConfig;
  readonly streams: SluiceStreams;
  readonly makeFunction: FunctionFactory;
  /** The pipeline's own log groups: never subscribed (that would feed the pipeline its own logs). */
  readonly ownLogGroupNames: readonly string[];
  /** Where EventBridge puts CreateLogGroup events it could not deliver. */
  readonly failedEvents: sqs.IQueue;
}

/**
 * How log groups reach the "raw" stream: the role CloudWatch Logs assumes; a subscription filter
 * per configured log group; the auto-subscriber (CloudTrail `CreateLogGroup` → Lambda) and the
 * one-time subscription of existing groups at deploy — or one account-level subscription policy;
 * and, for member accounts, a CloudWatch Logs destination with its access policy.
 */
export class SluiceSubscription extends Construct {
  /** The role CloudWatch Logs assumes to put records on "raw". */
  readonly role: iam.Role;
  readonly autoSubscriber?: lambda.Function;
  readonly destination?: logs.CfnDestination;

  constructor(scope: Construct, id: string, props: SluiceSubscriptionProps) {
    super(scope, id);
    const { config, streams } = props;
    const sub = config.subscription;
    const stack = Stack.of(this);
    const sourceAccounts = [stack.account, ...sub.member_account_ids];
    this.role = new iam.Role(this, 'CwlRole', {
      description: 'Assumed by CloudWatch Logs to deliver subscribed log events to the raw stream',
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com').withConditions({
        StringLike: {
          'aws:SourceArn': sourceAccounts.map((a) => `arn:${stack.partition}:logs:${stack.region}:${a}:*`),
        },
      }),
    });
    allowStreamWrite(this.role, streams.raw, streams.key);

    if (sub.member_account_ids.length > 0) this.destination = this.crossAccount(config, streams);
    if (sub.mode === 'none') return;
    if (sub.mode === 'account_policy') {
      this.accountPolicy(config, streams, props.ownLogGroupNames);
      return;
    }
    sub.log_groups.forEach((name, i) => {
      new logs.CfnSubscriptionFilter(this, `Filter${i}`, {
        logGroupName: name,
        filterName: sub.filter_name,
        filterPattern: sub.filter_pattern,
        destinationArn: streams.raw.streamArn,
        roleArn: this.role.roleArn,
      });
    });
    if (sub.include.length > 0) {
      this.autoSubscriber = this.autoSubscribe(props);
    }
  }

  private autoSubscribe(props: SluiceSubscriptionProps): lambda.Function {
    const { config, streams } = props;
    const sub = config.subscription;
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'AutoSubscriberLogs', {
      retention: config.functions.log_retention_days,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'AutoSubscriberRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sluice auto-subscriber: puts subscription filters on matching log groups',
    });
    allowOwnLogs(role, logGroup.logGroupArn);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'logs:DescribeLogGroups',
          'logs:DescribeSubscriptionFilters',
          'logs:PutSubscriptionFilter',
          'logs:DeleteSubscriptionFilter',
        ],
        resources: [`arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [this.role.roleArn] }),
    );
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${pseudo(stack.region, 'Region')}:${pseudo(stack.account, 'AccountId')}:log-group:*]`,
      'The log groups to subscribe are created after deploy and matched by pattern at run time; only the four subscription actions are allowed.',
    );
    const providerLogs = sub.subscribe_existing
      ? new logs.LogGroup(this, 'SubscribeExistingProviderLogs', {
          retention: config.functions.log_retention_days,
          removalPolicy: RemovalPolicy.DESTROY,
        })
      : undefined;
    const exclude = [
      ...sub.exclude,
      ...props.ownLogGroupNames,
      logGroup.logGroupName,
      ...(providerLogs ? [providerLogs.logGroupName] : []),
    ];
    const fn = props.makeFunction(this, 'AutoSubscriber', {
      entry: 'lambda/auto-subscriber-handler.ts',
      description: 'Sluice auto-subscriber: subscribes new and existing matching log groups',
      runtime: config.functions.runtime,
      memoryMb: 256,
      timeout: Duration.minutes(15),
      role,
      logGroup,
      environment: {
        SLUICE_DESTINATION_ARN: streams.raw.streamArn,
        SLUICE_SUBSCRIPTION_ROLE_ARN: this.role.roleArn,
        SLUICE_INCLUDE_PATTERNS: sub.include.join(','),
        SLUICE_EXCLUDE_PATTERNS: Fn.join(',', exclude),
        SLUICE_FILTER_NAME: sub.filter_name,
        SLUICE_FILTER_PATTERN: sub.filter_pattern,
        SLUICE_LOG_LEVEL: config.log_level,
      },
    });
    allowQueueSend(role, props.failedEvents);
    acknowledgeRuntime(fn, config.functions.runtime);
    new events.Rule(this, 'OnCreateLogGroup', {
      description: 'Sluice: subscribe new log groups that match the include patterns',
      eventPattern: {
        source: ['aws.logs'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['logs.amazonaws.com'], eventName: ['CreateLogGroup'] },
      },
      targets: [
        new targets.LambdaFunction(fn, {
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: props.failedEvents,
        }),
      ],
    });
    if (sub.subscribe_existing) {
      const provider = new cr.Provider(this, 'SubscribeExistingProvider', {
        onEventHandler: fn,
        ...(providerLogs ? { logGroup: providerLogs } : {}),
      });
      acknowledgeProviderFramework(provider, fn);
      new CustomResource(this, 'SubscribeExisting', {
        serviceToken: provider.serviceToken,
        resourceType: 'Custom::SluiceSubscribeExisting',
        // Any change of these re-runs the subscription of existing groups (an Update).
        properties: {
          include: sub.include,
          exclude,
          filterName: sub.filter_name,
          filterPattern: sub.filter_pattern,
        },
      });
    }
    return fn;
  }

  private accountPolicy(config: SluiceInfraConfig, streams: SluiceStreams, own: readonly string[]): void {
    const stack = Stack.of(this);
    const excluded = [...config.subscription.exclude, ...own];
    new logs.CfnAccountPolicy(this, 'AccountPolicy', {
      policyName: `${config.name}-subscription`,
      policyType: 'SUBSCRIPTION_FILTER_POLICY',
      scope: 'ALL',
      policyDocument: stack.toJsonString({
        DestinationArn: streams.raw.streamArn,
        RoleArn: this.role.roleArn,
        FilterPattern: config.subscription.filter_pattern,
        Distribution: 'Random',
      }),
      selectionCriteria: `LogGroupName NOT IN [${excluded.map((n) => `"${n}"`).join(', ')}]`,
    });
  }

  private crossAccount(config: SluiceInfraConfig, streams: SluiceStreams): logs.CfnDestination {
    const stack = Stack.of(this);
    const name = `${config.name}-destination`;
    const destinationArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:destination:${name}`;
    return new logs.CfnDestination(this, 'Destination', {
      destinationName: name,
      roleArn: this.role.roleArn,
      targetArn: streams.raw.streamArn,
      destinationPolicy: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SluiceMemberAccounts',
            Effect: 'Allow',
            Principal: { AWS: config.subscription.member_account_ids },
            Action: 'logs:PutSubscriptionFilter',
            Resource: destinationArn,
          },
        ],
      }),
    });
  }
}

/** How cdk-nag prints a pseudo parameter in a finding id: the value, or `<AWS::Name>` when env-agnostic. */
function pseudo(value: string, name: 'Region' | 'AccountId'): string {
  return Token.isUnresolved(value) ? `<AWS::${name}>` : value;
}
