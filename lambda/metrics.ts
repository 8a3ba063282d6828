import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** What one handler invocation did with its batch (every event counted exactly once at its end). */
export interface BatchCounts {
  /** Kinesis records received. */
  received: number;
  /** CloudWatch Logs `CONTROL_MESSAGE` records (skipped). */
  controlMessages: number;
  /** Log events decoded from the records (transform) or events read (sink). */
  events: number;
  /** Events dropped by a rule (names and counts in `dropReasons`). */
  droppedByRule: number;
  /** Events a redaction rule changed (they go on; not an end state). */
  redacted: number;
  /** Events written to the events stream (transform). */
  forwarded: number;
  /** Events indexed (sink). */
  indexed: number;
  /** Events already indexed by an earlier try (sink; idempotent retry). */
  duplicates: number;
  /** Events / undecodable records written to the dead-letter store. */
  deadLettered: number;
  /** Events neither delivered nor dead-lettered: their records are retried. */
  notDelivered: number;
}

/** A batch's counts plus its duration and per-rule drops. */
export interface BatchReport extends BatchCounts {
  durationMs: number;
  /** Drops per rule name. */
  dropReasons: Record<string, number>;
}

/** Zeroed counts. */
export function emptyCounts(): BatchCounts {
  return {
    received: 0,
    controlMessages: 0,
    events: 0,
    droppedByRule: 0,
    redacted: 0,
    forwarded: 0,
    indexed: 0,
    duplicates: 0,
    deadLettered: 0,
    notDelivered: 0,
  };
}

/** Options of {@link createBatchMetrics}. */
export interface BatchMetricsOptions {
  /** CloudWatch namespace (`SLUICE_METRICS_NAMESPACE`). */
  readonly namespace: string;
  /** `transform` or `sink`: the `stage` dimension. */
  readonly stage: 'transform' | 'sink';
  /** Where the EMF line goes (default: one line on stdout, which Lambda sends to CloudWatch). */
  readonly write?: (line: string) => void;
}

/** Publishes one CloudWatch Embedded Metric Format line per batch. */
export interface BatchMetrics {
  /** Writes the line and returns it. */
  publish(report: BatchReport): string;
}

const COUNT_METRICS = Object.keys(emptyCounts()) as readonly (keyof BatchCounts)[];

/**
 * One EMF line per batch, built with Powertools for AWS Lambda's `Metrics` (its
 * `serializeMetrics()`; the line is written through `write` so the local runner and tests can
 * route it). Dimensions: `service=sluice`, `stage`. Per-rule drops ride along as the
 * `dropReasons` property (a JSON string) rather than one metric per rule, to stay one line.
 */
export function createBatchMetrics(opts: BatchMetricsOptions): BatchMetrics {
  const metrics = new Metrics({
    namespace: opts.namespace,
    serviceName: 'sluice',
    defaultDimensions: { stage: opts.stage },
  });
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return {
    publish(report) {
      try {
        for (const name of COUNT_METRICS) metrics.addMetric(name, MetricUnit.Count, report[name]);
        metrics.addMetric('durationMs', MetricUnit.Milliseconds, report.durationMs);
        metrics.addMetadata('dropReasons', JSON.stringify(report.dropReasons));
        const line = JSON.stringify(metrics.serializeMetrics());
        write(line);
        return line;
      } finally {
        metrics.clearMetrics();
        metrics.clearMetadata();
      }
    },
  };
}
