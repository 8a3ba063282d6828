import { CustomResource, Duration, Fn, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import type { SluiceInfraConfig } from '../config/schema.js';
import { acknowledge, acknowledgeProviderFramework, acknowledgeRuntime } from '../nag.js';
import type { FunctionFactory } from './code.js';
import { allowOwnLogs, allowStreamWrite } from './grants.js';
import { pipelineLogGroupNames } from './own-log-groups.js';
import type { SluiceStreams } from './streams.js';
import { SluiceSubscribeFailures } from './subscription-failures.js';

/** What the scheduled re-subscription (and a manual re-drive) sends the auto-subscriber. */
const RESUBSCRIBE_EVENT = { sluice: 'resubscribe' } as const;

/** CloudWatch Logs' limit of names in an account policy's `LogGroupName NOT IN [...]`. */
const MAX_POLICY_EXCLUSIONS = 50;

/** Reserved concurrency of the auto-subscriber. */
export const AUTO_SUBSCRIBER_CONCURRENCY = 2;

/** Props of {@link SluiceSubscription}. */
export interface SluiceSubscriptionProps {
  readonly config: SluiceInfraConfig;
  readonly streams: SluiceStreams;
  readonly makeFunction: FunctionFactory;
  /** The pipeline key (encrypts the auto-subscriber's failure queue). */
  readonly key: kms.Key;
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
  /** Where the auto-subscriber's failures go (when there is an auto-subscriber). */
  readonly failures?: SluiceSubscribeFailures;
  readonly destination?: logs.CfnDestination;
  /** The role's policy that lets CloudWatch Logs write to "raw". */
  private readonly writePolicy: IConstruct;

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
    // CloudWatch Logs checks at creation that it can write: nothing that makes it write may be
    // created before the policy that lets it (CDK's KinesisDestination adds the same dependency).
    this.writePolicy = this.role.node.findChild('DefaultPolicy');

    if (sub.member_account_ids.length > 0) this.destination = this.crossAccount(config, streams);
    if (sub.mode === 'none') return;
    if (sub.mode === 'account_policy') {
      this.accountPolicy(config, streams);
      return;
    }
    sub.log_groups.forEach((name, i) => {
      const filter = new logs.CfnSubscriptionFilter(this, `Filter${i}`, {
        logGroupName: name,
        filterName: sub.filter_name,
        filterPattern: sub.filter_pattern,
        destinationArn: streams.raw.streamArn,
        roleArn: this.role.roleArn,
      });
      filter.node.addDependency(this.writePolicy);
    });
    if (sub.include.length > 0) {
      const ruleNames = {
        created: `${config.name}-subscribe-new-log-groups`,
        resubscribe: `${config.name}-resubscribe-log-groups`,
      };
      this.failures = new SluiceSubscribeFailures(this, 'AutoSubscriberFailures', {
        config,
        key: props.key,
        ruleNames: Object.values(ruleNames),
      });
      this.autoSubscriber = this.autoSubscribe(props, this.failures, ruleNames);
    }
  }

  private autoSubscribe(
    props: SluiceSubscriptionProps,
    failures: SluiceSubscribeFailures,
    ruleNames: { created: string; resubscribe: string },
  ): lambda.Function {
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
    // Every log group of the stack, found at synthesis (no list to keep up to date by hand).
    const exclude = Lazy.list({ produce: () => [...sub.exclude, ...pipelineLogGroupNames(this)] });
    const fn = props.makeFunction(this, 'AutoSubscriber', {
      entry: 'lambda/auto-subscriber-handler.ts',
      description: 'Sluice auto-subscriber: subscribes new and existing matching log groups',
      runtime: config.functions.runtime,
      memoryMb: 256,
      // CreateLogGroup bursts queue up (EventBridge retries a throttled invoke) instead of
      // competing with the pipeline for the account's concurrency.
      reservedConcurrency: AUTO_SUBSCRIBER_CONCURRENCY,
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
    acknowledgeRuntime(fn, config.functions.runtime);
    // A failed invocation (the handler throws when a group could not be subscribed) is retried
    // twice by Lambda, then recorded on the failure queue with the event — never discarded.
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: failures.destinationFor(),
    });
    // EventBridge's own retries cover invoking the function (throttling, a missing permission);
    // what it still cannot deliver goes to the same queue.
    const target = (event?: events.RuleTargetInput) =>
      new targets.LambdaFunction(fn, {
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
        deadLetterQueue: failures.queue,
        ...(event ? { event } : {}),
      });
    new events.Rule(this, 'OnCreateLogGroup', {
      ruleName: ruleNames.created,
      description: 'Sluice: subscribe new log groups that match the include patterns',
      eventPattern: {
        source: ['aws.logs'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['logs.amazonaws.com'], eventName: ['CreateLogGroup'] },
      },
      targets: [target()],
    });
    if (sub.resubscribe_every_hours > 0) {
      // Catches what the CreateLogGroup path missed (a failure since fixed, a group created while
      // no trail recorded): every matching group is subscribed again (idempotent).
      new events.Rule(this, 'Resubscribe', {
        ruleName: ruleNames.resubscribe,
        description: 'Sluice: subscribe every matching log group again (missed or failed before)',
        schedule: events.Schedule.rate(Duration.hours(sub.resubscribe_every_hours)),
        targets: [target(events.RuleTargetInput.fromObject(RESUBSCRIBE_EVENT))],
      });
    }
    if (sub.subscribe_existing) {
      const provider = new cr.Provider(this, 'SubscribeExistingProvider', {
        onEventHandler: fn,
        ...(providerLogs ? { logGroup: providerLogs } : {}),
      });
      acknowledgeProviderFramework(provider, fn);
      const existing = new CustomResource(this, 'SubscribeExisting', {
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
      existing.node.addDependency(this.writePolicy);
    }
    return fn;
  }

  private accountPolicy(config: SluiceInfraConfig, streams: SluiceStreams): void {
    const stack = Stack.of(this);
    const policy = new logs.CfnAccountPolicy(this, 'AccountPolicy', {
      policyName: `${config.name}-subscription`,
      policyType: 'SUBSCRIPTION_FILTER_POLICY',
      scope: 'ALL',
      policyDocument: stack.toJsonString({
        DestinationArn: streams.raw.streamArn,
        RoleArn: this.role.roleArn,
        FilterPattern: config.subscription.filter_pattern,
        Distribution: 'Random',
      }),
      // Every log group of the stack, found at synthesis: the pipeline never subscribes its own logs.
      selectionCriteria: Lazy.string({
        produce: () => {
          const excluded = [...config.subscription.exclude, ...pipelineLogGroupNames(this)];
          return `LogGroupName NOT IN [${excluded.map((n) => `"${n}"`).join(', ')}]`;
        },
      }),
    });
    policy.node.addDependency(this.writePolicy);
    this.node.addValidation({
      validate: () => {
        const n = config.subscription.exclude.length + pipelineLogGroupNames(this).length;
        return n > MAX_POLICY_EXCLUSIONS
          ? [
              `the account policy would exclude ${n} log groups (the stack's own and subscription.exclude); CloudWatch Logs accepts at most ${MAX_POLICY_EXCLUSIONS}`,
            ]
          : [];
      },
    });
  }

  private crossAccount(config: SluiceInfraConfig, streams: SluiceStreams): logs.CfnDestination {
    const stack = Stack.of(this);
    const name = `${config.name}-destination`;
    const destinationArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:destination:${name}`;
    const destination = new logs.CfnDestination(this, 'Destination', {
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
    destination.node.addDependency(this.writePolicy);
    return destination;
  }
}

/** How cdk-nag prints a pseudo parameter in a finding id: the value, or `<AWS::Name>` when env-agnostic. */
function pseudo(value: string, name: 'Region' | 'AccountId'): string {
  return Token.isUnresolved(value) ? `<AWS::${name}>` : value;
}
