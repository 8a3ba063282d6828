import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SluiceInfraConfig } from '../config/index.js';
import type { SluiceStage } from './functions.js';
import { DURATION_METRIC, PIPELINE_METRICS, type PipelineStage, pipelineMetric } from './pipeline-metrics.js';

/** Props of {@link SluiceMonitoring}. */
export interface SluiceMonitoringProps {
  readonly config: SluiceInfraConfig;
  readonly key: kms.Key;
  readonly stages: Readonly<Record<PipelineStage, SluiceStage>>;
  /** Queues where anything arriving means something was not delivered. */
  readonly deadLetterQueues: readonly { name: string; queue: sqs.IQueue }[];
  readonly domain?: opensearch.Domain;
}

/**
 * Alarms (iterator age, errors, throttles, dead letters arriving, cluster red/yellow, free storage,
 * JVM pressure) → one SNS topic, and a dashboard of the pipeline's own EMF metrics and alarms.
 */
export class SluiceMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Per stage: the alarms a canary deployment of that stage rolls back on. */
  readonly deploymentAlarms: Record<PipelineStage, cloudwatch.Alarm[]> = { transform: [], sink: [] };

  constructor(scope: Construct, id: string, props: SluiceMonitoringProps) {
    super(scope, id);
    const { config, key, stages } = props;
    const m = config.monitoring;
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `${config.name} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (m.alarm_email) this.topic.addSubscription(new subscriptions.EmailSubscription(m.alarm_email));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (aid: string, metric: cloudwatch.Metric, o: Partial<cloudwatch.CreateAlarmOptions>) => {
      const a = metric.createAlarm(this, aid, {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...o,
      });
      a.addAlarmAction(notify);
      a.addOkAction(notify);
      this.alarms.push(a);
      return a;
    };
    const ns = config.metrics_namespace;
    for (const stage of ['transform', 'sink'] as const) {
      const { fn, alias } = stages[stage];
      const S = stage === 'transform' ? 'Transform' : 'Sink';
      alarm(
        `${S}IteratorAge`,
        fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        {
          threshold: m.iterator_age_ms,
          evaluationPeriods: 5,
          alarmDescription: `${stage}: the stream is falling behind (iterator age above ${m.iterator_age_ms} ms)`,
        },
      );
      const errors = alarm(`${S}Errors`, alias.metricErrors({ period: Duration.minutes(1) }), {
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        alarmDescription: `${stage}: handler invocations failing (whole batches retried)`,
      });
      alarm(`${S}Throttles`, fn.metricThrottles({ period: Duration.minutes(1) }), {
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        alarmDescription: `${stage}: handler throttled`,
      });
      const dead = alarm(`${S}DeadLettered`, pipelineMetric(ns, stage, 'deadLettered'), {
        alarmDescription: `${stage}: events written to the dead-letter store`,
      });
      const notDelivered = alarm(
        `${S}NotDelivered`,
        pipelineMetric(ns, stage, 'notDelivered', { period: Duration.minutes(5) }),
        {
          evaluationPeriods: 3,
          alarmDescription: `${stage}: events not delivered (their records are being retried)`,
        },
      );
      this.deploymentAlarms[stage].push(errors, dead, notDelivered);
    }
    for (const { name, queue } of props.deadLetterQueues) {
      alarm(
        `${name}Arriving`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        {
          alarmDescription: `${name}: messages arrived (something was not delivered)`,
        },
      );
    }
    if (props.domain) {
      const d = props.domain;
      alarm('ClusterRed', d.metricClusterStatusRed(), { alarmDescription: 'OpenSearch cluster status red' });
      alarm('ClusterYellow', d.metricClusterStatusYellow(), {
        evaluationPeriods: 5,
        alarmDescription: 'OpenSearch cluster status yellow (replicas unassigned)',
      });
      alarm('FreeStorage', d.metricFreeStorageSpace(), {
        threshold: m.free_storage_mb,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `OpenSearch free storage at or below ${m.free_storage_mb} MB on a node`,
      });
      alarm('JvmPressure', d.metricJVMMemoryPressure(), {
        threshold: m.jvm_pressure_percent,
        evaluationPeriods: 3,
        alarmDescription: `OpenSearch JVM memory pressure at or above ${m.jvm_pressure_percent}%`,
      });
    }
    this.dashboard = this.buildDashboard(config);
  }

  private buildDashboard(config: SluiceInfraConfig): cloudwatch.Dashboard {
    const ns = config.metrics_namespace;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.name}-pipeline`,
      defaultInterval: Duration.hours(3),
    });
    const graph = (stage: PipelineStage) =>
      new cloudwatch.GraphWidget({
        title: `${stage}: events per minute`,
        width: 12,
        left: PIPELINE_METRICS[stage].map((n) => pipelineMetric(ns, stage, n).with({ label: n })),
      });
    const duration = new cloudwatch.GraphWidget({
      title: 'batch duration (p99, ms)',
      width: 12,
      left: (['transform', 'sink'] as const).map((s) =>
        pipelineMetric(ns, s, DURATION_METRIC, { statistic: 'p99' }),
      ),
    });
    dashboard.addWidgets(graph('transform'), graph('sink'));
    dashboard.addWidgets(
      duration,
      new cloudwatch.AlarmStatusWidget({ title: 'alarms', width: 12, alarms: this.alarms }),
    );
    return dashboard;
  }
}
