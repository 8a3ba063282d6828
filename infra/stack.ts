import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { SluiceInfraConfig } from './config/schema.js';
import type { FunctionFactory } from './constructs/code.js';
import { SluiceDeadLetters } from './constructs/dead-letters.js';
import { SluiceDeployment } from './constructs/deployment.js';
import { SluiceFailureAlarms } from './constructs/failure-alarms.js';
import { SluiceFunctions } from './constructs/functions.js';
import { SluiceMonitoring } from './constructs/monitoring.js';
import { SluiceOpenSearch } from './constructs/opensearch.js';
import { SluiceStreams } from './constructs/streams.js';
import { SluiceSubscription } from './constructs/subscription.js';
import { acknowledge, FRAMEWORK_ROLE_REASON } from './nag.js';

/** Props of {@link SluiceStack}. */
export interface SluiceStackProps extends StackProps {
  readonly config: SluiceInfraConfig;
  /** How Lambda code is built: `bundledFunction` in the app, `inlineFunction` in template tests. */
  readonly makeFunction: FunctionFactory;
}

/** The whole Sluice pipeline in one stack, composed from one construct per role. */
export class SluiceStack extends Stack {
  readonly streams: SluiceStreams;
  readonly deadLetters: SluiceDeadLetters;
  readonly search: SluiceOpenSearch;
  readonly functions: SluiceFunctions;
  readonly subscription: SluiceSubscription;
  readonly monitoring: SluiceMonitoring;
  readonly failureAlarms: SluiceFailureAlarms;
  readonly deployment: SluiceDeployment;

  constructor(scope: Construct, id: string, props: SluiceStackProps) {
    super(scope, id, {
      description: 'Sluice: CloudWatch Logs → Kinesis → transform → OpenSearch log pipeline',
      terminationProtection: props.config.termination_protection,
      ...props,
    });
    const { config, makeFunction } = props;
    this.streams = new SluiceStreams(this, 'Streams', { config });
    this.deadLetters = new SluiceDeadLetters(this, 'DeadLetters', { config, key: this.streams.key });
    this.search = new SluiceOpenSearch(this, 'OpenSearch', { config, makeFunction });
    this.functions = new SluiceFunctions(this, 'Functions', {
      config,
      streams: this.streams,
      deadLetters: this.deadLetters,
      makeFunction,
      sinkTarget: {
        endpoint: this.search.endpoint,
        service: this.search.service,
        ...(this.search.sinkVpc ? { vpc: this.search.sinkVpc } : {}),
      },
    });
    this.search.allowSink(this.functions.sink.role);
    this.subscription = new SluiceSubscription(this, 'Subscription', {
      config,
      streams: this.streams,
      makeFunction,
      key: this.streams.key,
    });
    const stages = { transform: this.functions.transform, sink: this.functions.sink };
    this.monitoring = new SluiceMonitoring(this, 'Monitoring', {
      config,
      key: this.streams.key,
      stages,
      deadLetterQueues:
        config.dead_letters.store === 'sqs'
          ? [{ name: 'DeadLetterQueue', queue: this.deadLetters.queue }]
          : [],
      ...(this.search.domain && config.opensearch.mode === 'domain'
        ? { domain: { domain: this.search.domain, config: config.opensearch } }
        : {}),
    });
    this.failureAlarms = new SluiceFailureAlarms(this, 'FailureAlarms', {
      topic: this.monitoring.topic,
      consumers: this.functions.consumers,
      stages,
      ...(this.subscription.autoSubscriber && this.subscription.failures
        ? {
            autoSubscriber: {
              fn: this.subscription.autoSubscriber,
              failures: this.subscription.failures.queue,
            },
          }
        : {}),
      dashboard: this.monitoring.dashboard,
    });
    this.deployment = new SluiceDeployment(this, 'Deployment', {
      config,
      stages,
      monitoring: this.monitoring,
    });
    // The singleton function the CDK adds for AwsCustomResource (the domain's log resource policy).
    const singleton = this.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (singleton) {
      acknowledge(
        singleton,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        FRAMEWORK_ROLE_REASON,
      );
    }
  }
}
