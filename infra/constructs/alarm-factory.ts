import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Creates one alarm (defaults: ≥ 1 in one period, missing data not breaching) that notifies the topic. */
export type AlarmFactory = (
  id: string,
  metric: cloudwatch.IMetric & { createAlarm: cloudwatch.Metric['createAlarm'] },
  o: Partial<cloudwatch.CreateAlarmOptions>,
) => cloudwatch.Alarm;

/**
 * The alarm factory every monitoring construct uses: alarms are created in `scope`, send both
 * ALARM and OK to `topic`, and are appended to `into` (the construct's `alarms` list).
 */
export function alarmFactory(scope: Construct, topic: sns.ITopic, into: cloudwatch.Alarm[]): AlarmFactory {
  const notify = new actions.SnsAction(topic);
  return (id, metric, o) => {
    const a = metric.createAlarm(scope, id, {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...o,
    });
    a.addAlarmAction(notify);
    a.addOkAction(notify);
    into.push(a);
    return a;
  };
}
