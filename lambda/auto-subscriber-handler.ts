/**
 * Composition root of the auto-subscriber Lambda. Two triggers:
 * - the EventBridge rule on CloudTrail `CreateLogGroup`: subscribe the new group when it matches;
 * - the deploy-time custom resource (CDK `Provider` onEvent): subscribe every existing matching
 *   group on Create/Update, remove Sluice's filter on Delete.
 * Environment: see `subscriberConfigFromEnv` in `ingest/subscribe/config.ts`.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudFormationCustomResourceEvent, Context, EventBridgeEvent } from 'aws-lambda';
import { pino } from 'pino';
import {
  classifyTrigger,
  createSubscriber,
  type SubscribeOutcome,
  type Subscriber,
  subscriberConfigFromEnv,
} from '../ingest/subscribe/index.js';

/** What the handler returns: the outcome for one group, or the custom-resource response. */
export type AutoSubscriberResult =
  | SubscribeOutcome
  | { PhysicalResourceId: string; Data: Record<string, number> }
  | { ignored: 'failed_call' };

/** Logger surface the handler needs (pino's). */
export interface HandlerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Builds the handler around a subscriber (tests pass one pointed at the AWS emulator). */
export function createHandler(deps: { subscriber: Subscriber; filterName: string; log: HandlerLog }) {
  const { subscriber, filterName, log } = deps;
  return async (
    event: CloudFormationCustomResourceEvent | EventBridgeEvent<string, unknown>,
  ): Promise<AutoSubscriberResult> => {
    const trigger = classifyTrigger(event);
    if (trigger.kind === 'failed_call') return { ignored: 'failed_call' };
    if (trigger.kind === 'created') {
      const out = await subscriber.handle(trigger.logGroupName);
      if (out.result === 'failed') {
        // Throwing makes Lambda retry the asynchronous EventBridge invocation.
        throw new Error(`could not subscribe ${out.logGroupName}: ${out.error?.code ?? 'unknown error'}`);
      }
      (out.result === 'limit_exceeded' ? log.warn : log.info)(out, 'log group handled');
      return out;
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

let cached: ReturnType<typeof createHandler> | undefined;

/** Lambda entry point; the config and client are built once per cold start. */
export async function handler(
  event: CloudFormationCustomResourceEvent | EventBridgeEvent<string, unknown>,
  _context?: Context,
): Promise<AutoSubscriberResult> {
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
