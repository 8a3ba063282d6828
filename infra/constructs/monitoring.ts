import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ResolvedDomain } from '../config/profiles.js';
import type { SluiceInfraConfig } from '../config/schema.js';
import { type AlarmFactory, alarmFactory } from './alarm-factory.js';
import type { SluiceStage } from './functions.js';
import { DURATION_METRIC, PIPELINE_METRICS, type PipelineStage, pipelineMetric } from './pipeline-metrics.js';

/** Props of {@link SluiceMonitoring}. */
export interface SluiceMonitoringProps {
  readonly config: SluiceInfraConfig;
  readonly key: kms.Key;
  readonly stages: Readonly<Record<PipelineStage, SluiceStage>>;
  /** Queues where anything arriving means something was not delivered. */
  readonly deadLetterQueues: readonly { name: string; queue: sqs.IQueue }[];
  readonly domain?: { readonly domain: opensearch.Domain; readonly config: ResolvedDomain };
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
    // CloudWatch alarms publish to the encrypted topic: only this account's alarms may use the key
    // (confused-deputy guard, as AWS recommends for service principals).
    const stack = Stack.of(this);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `${config.name} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (m.alarm_email) this.topic.addSubscription(new subscriptions.EmailSubscription(m.alarm_email));
    const alarm = alarmFactory(this, this.topic, this.alarms);
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
      // A deployment gate: 1-minute periods, 2 of 3 breaching, so it can fire inside the shortest
      // canary (5 minutes) instead of after 3 × 5 minutes.
      const notDelivered = alarm(`${S}NotDelivered`, pipelineMetric(ns, stage, 'notDelivered'), {
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        alarmDescription: `${stage}: events not delivered in 2 of the last 3 minutes (their records are being retried)`,
      });
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
    this.subscriptionAlarms(config, alarm);
    if (props.domain) this.domainAlarms(props.domain.domain, props.domain.config, config, alarm);
    this.dashboard = this.buildDashboard(config);
  }

  /**
   * CloudWatch Logs' own delivery metrics for the subscription (a Metrics Insights query over
   * every log group, since groups are subscribed at run time): errors and throttling.
   */
  private subscriptionAlarms(config: SluiceInfraConfig, alarm: AlarmFactory): void {
    const sub = config.subscription;
    if (sub.mode === 'none') return;
    const where =
      sub.mode === 'filters' ? ` WHERE FilterName = '${sub.filter_name.replace(/'/g, "''")}'` : '';
    for (const name of ['DeliveryErrors', 'DeliveryThrottling'] as const) {
      alarm(
        `Subscription${name}`,
        new cloudwatch.MathExpression({
          expression: `SELECT SUM(${name}) FROM SCHEMA("AWS/Logs", DestinationType, FilterName, LogGroupName)${where}`,
          period: Duration.minutes(5),
          label: name,
        }),
        {
          evaluationPeriods: name === 'DeliveryErrors' ? 1 : 3,
          datapointsToAlarm: name === 'DeliveryErrors' ? 1 : 2,
          alarmDescription:
            name === 'DeliveryErrors'
              ? 'CloudWatch Logs could not deliver subscribed events to the raw stream'
              : 'CloudWatch Logs is throttled writing to the raw stream (add shards, or on-demand capacity)',
        },
      );
    }
  }

  /** The alarms AWS recommends for an OpenSearch Service domain, sized to this one. */
  private domainAlarms(
    d: opensearch.Domain,
    os: ResolvedDomain,
    config: SluiceInfraConfig,
    alarm: AlarmFactory,
  ): void {
    const m = config.monitoring;
    const max1 = { statistic: 'Maximum', period: Duration.minutes(1) };
    const max15 = { statistic: 'Maximum', period: Duration.minutes(15) };
    const ge = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    alarm('ClusterRed', d.metricClusterStatusRed(max1), {
      alarmDescription: 'OpenSearch cluster status red',
    });
    alarm('ClusterYellow', d.metricClusterStatusYellow(max1), {
      evaluationPeriods: 5,
      alarmDescription: 'OpenSearch cluster status yellow (replicas unassigned) for 5 minutes',
    });
    alarm(
      'ClusterIndexWritesBlocked',
      d.metricClusterIndexWritesBlocked({ ...max1, period: Duration.minutes(5) }),
      {
        alarmDescription: 'OpenSearch blocks writes (disk, memory or a write block): the sink cannot index',
      },
    );
    alarm('AutomatedSnapshotFailure', d.metricAutomatedSnapshotFailure(max1), {
      alarmDescription: 'OpenSearch automated snapshot failed',
    });
    const freeMb = m.free_storage_mb ?? Math.floor(os.volume_gb * 1024 * 0.25);
    alarm('FreeStorage', d.metricFreeStorageSpace({ statistic: 'Minimum', period: Duration.minutes(1) }), {
      threshold: freeMb,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `OpenSearch free storage at or below ${freeMb} MB on a node`,
    });
    const nodes = os.instance_count + (os.dedicated_master_type ? os.dedicated_master_count : 0);
    alarm('Nodes', d.metricNodes({ statistic: 'Minimum', period: Duration.hours(1) }), {
      threshold: nodes,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `OpenSearch has had fewer than its ${nodes} nodes for an hour`,
    });
    alarm('Cpu', d.metricCPUUtilization(max15), {
      threshold: m.cpu_percent,
      evaluationPeriods: 3,
      comparisonOperator: ge,
      alarmDescription: `OpenSearch data node CPU at or above ${m.cpu_percent}% for 45 minutes`,
    });
    alarm('JvmPressure', d.metricJVMMemoryPressure(max1), {
      threshold: m.jvm_pressure_percent,
      evaluationPeriods: 3,
      alarmDescription: `OpenSearch JVM memory pressure at or above ${m.jvm_pressure_percent}%`,
    });
    if (os.dedicated_master_type) {
      alarm('MasterCpu', d.metricMasterCPUUtilization(max15), {
        threshold: 50,
        evaluationPeriods: 3,
        alarmDescription: 'OpenSearch master CPU at or above 50% for 45 minutes (masters are undersized)',
      });
      alarm('MasterJvmPressure', d.metricMasterJVMMemoryPressure(max1), {
        threshold: 95,
        evaluationPeriods: 3,
        alarmDescription: 'OpenSearch master JVM memory pressure at or above 95%',
      });
    }
    if (os.kms_key_arn) {
      alarm('KmsKeyError', d.metricKMSKeyError(max1), {
        alarmDescription: 'OpenSearch: the KMS key that encrypts the domain is disabled',
      });
      alarm('KmsKeyInaccessible', d.metricKMSKeyInaccessible(max1), {
        alarmDescription:
          'OpenSearch: the KMS key that encrypts the domain was deleted or its grants revoked',
      });
    }
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
