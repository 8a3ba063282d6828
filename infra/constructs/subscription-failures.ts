import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SluiceInfraConfig } from '../config/schema.js';
import { acknowledge } from '../nag.js';
import { allowQueueSend } from './grants.js';
import { removalPolicy } from './removal.js';

/** Props of {@link SluiceSubscribeFailures}. */
export interface SluiceSubscribeFailuresProps {
  readonly config: Pick<SluiceInfraConfig, 'removal'>;
  /** The pipeline key; the queue is encrypted with it. */
  readonly key: kms.Key;
  /** Names of the EventBridge rules that may put undeliverable events on the queue. */
  readonly ruleNames: readonly string[];
}

/**
 * Where the auto-subscriber's failures go, so that a log group that could not be subscribed is
 * never discarded silently: the queue is the dead-letter queue of its EventBridge targets (events
 * EventBridge could not deliver) and the on-failure destination of its asynchronous invocations
 * (events it failed on after Lambda's retries). Encrypted with the pipeline key, whose policy lets
 * EventBridge use it for these rules only; retained 14 days; alarmed by `SluiceFailureAlarms`.
 */
export class SluiceSubscribeFailures extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SluiceSubscribeFailuresProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Kept or deleted with the stack like the other stores of what was not delivered.
      removalPolicy: removalPolicy(props.config),
    });
    acknowledge(
      this.queue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the auto-subscriber (the last stop, alarmed on arrival).',
    );
    // EventBridge sends to an SSE-KMS queue with its own service principal: the key policy must
    // allow it. Rule ARNs are built from their names (a reference would make key → rule → queue →
    // key a cycle).
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeSendsAutoSubscriberFailures',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'aws:SourceArn': props.ruleNames.map(
              (name) => `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/${name}`,
            ),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
  }

  /** The asynchronous-invocation on-failure destination for `fn`, with an explicit grant. */
  destinationFor(): lambda.IDestination {
    const queue = this.queue;
    return {
      bind(_scope, fn) {
        // Lambda sends async destination records with the function's execution role.
        if (!fn.role) throw new Error('an on-failure destination needs the function role');
        allowQueueSend(fn.role, queue);
        return { destination: queue.queueArn };
      },
    };
  }
}
