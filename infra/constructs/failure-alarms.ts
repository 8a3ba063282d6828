import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmFactory } from './alarm-factory.js';
import type { StreamConsumer } from './event-sources.js';
import type { SluiceStage } from './functions.js';

/** Props of {@link SluiceFailureAlarms}. */
export interface SluiceFailureAlarmsProps {
  /** Where the alarms notify (the monitoring topic). */
  readonly topic: sns.ITopic;
  readonly consumers: readonly StreamConsumer[];
  readonly stages: Readonly<Record<'transform' | 'sink', SluiceStage>>;
  /** The auto-subscriber and its failure queue, when there is one. */
  readonly autoSubscriber?: { readonly fn: lambda.IFunction; readonly failures: sqs.IQueue };
  /** Gets a widget with these alarms. */
  readonly dashboard?: cloudwatch.Dashboard;
}

const MINUTE = Duration.minutes(1);

/**
 * Alarms on every way a record or a log group leaves the normal path: a stream falling so far
 * behind that its records near their maximum age; records handed to the on-failure bucket; records
 * dropped without reaching it (the only loss the mappings can still cause); the auto-subscriber
 * failing, its failures queued, or their delivery to the queue failing.
 */
export class SluiceFailureAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: SluiceFailureAlarmsProps) {
    super(scope, id);
    const alarm = alarmFactory(this, props.topic, this.alarms);
    for (const { stage, mapping, maxRecordAgeS } of props.consumers) {
      const S = stage === 'transform' ? 'Transform' : 'Sink';
      const esm = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/Lambda',
          metricName,
          dimensionsMap: { EventSourceMappingUUID: mapping.eventSourceMappingId },
          statistic: 'Sum',
          period: MINUTE,
        });
      // Half the maximum age: hours before any record would be given up on (23 h by default).
      const nearAgeMs = Math.floor((maxRecordAgeS * 1000) / 2);
      alarm(
        `${S}RecordsNearMaxAge`,
        props.stages[stage].fn.metric('IteratorAge', { statistic: 'Maximum', period: MINUTE }),
        {
          threshold: nearAgeMs,
          evaluationPeriods: 5,
          alarmDescription: `${stage}: the oldest unprocessed record is half way to its maximum age (${maxRecordAgeS} s), after which it goes to the on-failure bucket`,
        },
      );
      alarm(`${S}RecordsToOnFailureBucket`, esm('OnFailureDestinationDeliveredEventCount'), {
        alarmDescription: `${stage}: the event source mapping gave up on records and wrote them to the on-failure bucket (aws/lambda/); replay them with sluice dlq replay`,
      });
      alarm(
        `${S}RecordsLost`,
        new cloudwatch.MathExpression({
          expression: 'FILL(dropped, 0) - FILL(kept, 0)',
          usingMetrics: {
            dropped: esm('DroppedEventCount'),
            kept: esm('OnFailureDestinationDeliveredEventCount'),
          },
          period: MINUTE,
          label: 'dropped without an on-failure record',
        }),
        {
          alarmDescription: `${stage}: records were dropped without reaching the on-failure bucket (check the bucket, its key and the function role)`,
        },
      );
    }
    const auto = props.autoSubscriber;
    if (auto) {
      alarm('AutoSubscriberErrors', auto.fn.metricErrors({ period: Duration.minutes(5) }), {
        alarmDescription:
          'auto-subscriber: an invocation failed (a log group was not subscribed; Lambda retries it)',
      });
      alarm(
        'AutoSubscriberFailuresQueued',
        auto.failures.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum' }),
        {
          alarmDescription:
            'auto-subscriber: log groups it could not subscribe are on its failure queue (see docs/deploy.md: re-drive)',
        },
      );
      alarm(
        'AutoSubscriberFailuresUndelivered',
        auto.fn.metric('DestinationDeliveryFailures', { statistic: 'Sum', period: MINUTE }),
        {
          alarmDescription:
            'auto-subscriber: a failed event could not be written to its failure queue (permissions or key)',
        },
      );
    }
    props.dashboard?.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'records and log groups off the normal path',
        width: 24,
        alarms: this.alarms,
      }),
    );
  }
}
