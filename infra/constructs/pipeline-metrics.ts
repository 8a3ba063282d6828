import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { BatchCounts } from '../../lambda/metrics.js';

/**
 * The EMF metrics the handlers publish (lambda/metrics.ts: Powertools `Metrics`, one line per
 * batch, dimensions `service=sluice` and `stage`); the type ties the names to its counts.
 */
export const PIPELINE_METRICS = {
  transform: [
    'received',
    'controlMessages',
    'events',
    'droppedByRule',
    'redacted',
    'forwarded',
    'deadLettered',
    'notDelivered',
  ],
  sink: ['received', 'events', 'indexed', 'duplicates', 'deadLettered', 'notDelivered'],
} as const satisfies Record<string, readonly (keyof BatchCounts)[]>;
/** Name of the per-batch duration metric (milliseconds). */
export const DURATION_METRIC = 'durationMs';
/** A pipeline stage (the `stage` dimension). */
export type PipelineStage = keyof typeof PIPELINE_METRICS;

/** One of the pipeline's own metrics, summed per `period` (unlabelled: alarms stay single-metric). */
export function pipelineMetric(
  namespace: string,
  stage: PipelineStage,
  name: string,
  o: { period?: Duration; statistic?: string } = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName: name,
    dimensionsMap: { service: 'sluice', stage },
    statistic: o.statistic ?? cloudwatch.Stats.SUM,
    period: o.period ?? Duration.minutes(1),
  });
}
