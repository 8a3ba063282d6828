/**
 * Composition root of the auto-subscriber Lambda. Three triggers:
 * - the EventBridge rule on CloudTrail `CreateLogGroup`: subscribe the new group when it matches;
 * - the scheduled rule (or a manual re-drive), `{"sluice":"resubscribe"}`: subscribe every matching
 *   group again;
 * - the deploy-time custom resource (CDK `Provider` onEvent): subscribe every existing matching
 *   group on Create/Update, remove Sluice's filter on Delete.
 * A matching group left unsubscribed (an AWS error, or CloudWatch Logs' two-filter limit) makes the
 * EventBridge-triggered invocations throw, so that Lambda retries them and then records the event on
 * the failure queue, which alarms; the deploy never fails for it (the problems are logged).
 * Environment: see `subscriberConfigFromEnv` in `ingest/subscribe/config.ts`.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudFormationCustomResourceEvent, Context, EventBridgeEvent } from 'aws-lambda';
import { pino } from 'pino';
import { subscriberConfigFromEnv } from '../ingest/subscribe/config.js';
import { SUBSCRIBE_ERROR_CODES, SubscribeError } from '../ingest/subscribe/errors.js';
import { classifyTrigger, type ResubscribeEvent } from '../ingest/subscribe/events.js';
import { createSubscriber, type SubscribeOutcome, type Subscriber } from '../ingest/subscribe/subscriber.js';

/** What the handler returns: the outcome for one group, or the custom-resource response. */
export type AutoSubscriberResult =
  | SubscribeOutcome
  | { PhysicalResourceId: string; Data: Record<string, number> }
  | { ignored: 'failed_call' };

/** What invokes the auto-subscriber. */
export type AutoSubscriberEvent =
  | CloudFormationCustomResourceEvent
  | EventBridgeEvent<string, unknown>
  | ResubscribeEvent;

/** Logger surface the handler needs (pino's). */
export interface HandlerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Builds the handler around a subscriber (tests pass one pointed at the AWS emulator). */
export function createHandler(deps: { subscriber: Subscriber; filterName: string; log: HandlerLog }) {
  const { subscriber, filterName, log } = deps;
  return async (event: AutoSubscriberEvent): Promise<AutoSubscriberResult> => {
    const trigger = classifyTrigger(event);
    if (trigger.kind === 'failed_call') return { ignored: 'failed_call' };
    if (trigger.kind === 'created') {
      const out = await subscriber.handle(trigger.logGroupName);
      if (out.result === 'failed' || out.result === 'limit_exceeded') {
        log.warn(out, 'log group not subscribed');
        // Throwing makes Lambda retry the asynchronous invocation, then queue it (alarmed).
        throw notSubscribed([out]);
      }
      log.info(out, 'log group handled');
      return out;
    }
    if (trigger.kind === 'resubscribe') {
      const report = await subscriber.subscribeExisting();
      for (const p of report.problems) log.warn(p, 'log group not subscribed');
      log.info({ counts: report.counts }, 'matching log groups subscribed again');
      if (report.problems.length > 0) throw notSubscribed(report.problems);
      return { PhysicalResourceId: 'resubscribe', Data: { ...report.counts } };
    }
    const report =
      trigger.requestType === 'Delete'
        ? await subscriber.unsubscribeExisting()
        : await subscriber.subscribeExisting();
    for (const p of report.problems) log.warn(p, 'log group not subscribed');
    log.info({ requestType: trigger.requestType, counts: report.counts }, 'existing log groups handled');
    return { PhysicalResourceId: `sluice-existing-log-groups-${filterName}`, Data: { ...report.counts } };
  };
}

/** The error that sends an EventBridge-triggered invocation to Lambda's retries and the failure queue. */
function notSubscribed(problems: readonly SubscribeOutcome[]): SubscribeError {
  const shown = problems.slice(0, 20);
  return new SubscribeError(
    SUBSCRIBE_ERROR_CODES.notSubscribed,
    `${problems.length} matching log group(s) not subscribed: ${shown
      .map((p) => `${p.logGroupName} (${p.result}${p.error ? `: ${p.error.code}` : ''})`)
      .join(', ')}${problems.length > shown.length ? ', …' : ''}`,
    problems.map((p) => ({ path: p.logGroupName, message: p.error?.code ?? p.result })),
  );
}

let cached: ReturnType<typeof createHandler> | undefined;

/** Lambda entry point; the config and client are built once per cold start. */
export async function handler(event: AutoSubscriberEvent, _context?: Context): Promise<AutoSubscriberResult> {
  if (cached === undefined) {
    const config = subscriberConfigFromEnv(process.env);
    const log = pino({
      level: process.env['SLUICE_LOG_LEVEL'] ?? 'info',
      base: { component: 'auto-subscriber' },
    });
    const client = new CloudWatchLogsClient({ maxAttempts: 8 });
    cached = createHandler({
      subscriber: createSubscriber({ client, config }),
      filterName: config.filter_name,
      log: { info: (o, m) => log.info(o, m), warn: (o, m) => log.warn(o, m) },
    });
  }
  return cached(event);
}
