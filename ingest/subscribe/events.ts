import type { CloudFormationCustomResourceEvent, EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import { SUBSCRIBE_ERROR_CODES, SubscribeError } from './errors.js';

/** The CloudTrail API call EventBridge forwards when a log group is created. */
const CreateLogGroupEventSchema = z.object({
  source: z.literal('aws.logs'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  detail: z.object({
    eventName: z.literal('CreateLogGroup'),
    requestParameters: z.object({ logGroupName: z.string().min(1).max(512) }),
    errorCode: z.string().optional(),
  }),
});

/** The scheduled re-subscription's input (also what a manual re-drive sends). */
export interface ResubscribeEvent {
  readonly sluice: 'resubscribe';
}

/** What triggered the auto-subscriber. */
export type SubscriberTrigger =
  | { readonly kind: 'created'; readonly logGroupName: string }
  | { readonly kind: 'failed_call' }
  /** The scheduled re-subscription, or a manual re-drive: `{"sluice":"resubscribe"}`. */
  | { readonly kind: 'resubscribe' }
  | { readonly kind: 'deploy'; readonly requestType: 'Create' | 'Update' | 'Delete' };

/**
 * Classifies the handler's input: a CloudFormation custom-resource event (one-time subscription
 * of existing groups at deploy), the EventBridge `CreateLogGroup` event, or `{"sluice":"resubscribe"}`
 * (the schedule's input, also what a manual re-drive sends). A CloudTrail record of
 * a call that failed (`errorCode` set) created nothing. Throws {@link SubscribeError}
 * `SUBSCRIBE_EVENT_INVALID` for anything else (the message never echoes the event's content).
 */
export function classifyTrigger(
  event: CloudFormationCustomResourceEvent | EventBridgeEvent<string, unknown> | ResubscribeEvent | unknown,
): SubscriberTrigger {
  if (typeof event === 'object' && event !== null && 'RequestType' in event) {
    const rt = (event as { RequestType: unknown }).RequestType;
    if (rt === 'Create' || rt === 'Update' || rt === 'Delete') return { kind: 'deploy', requestType: rt };
  }
  if (
    typeof event === 'object' &&
    event !== null &&
    (event as { sluice?: unknown }).sluice === 'resubscribe'
  ) {
    return { kind: 'resubscribe' };
  }
  const parsed = CreateLogGroupEventSchema.safeParse(event);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))];
    throw new SubscribeError(
      SUBSCRIBE_ERROR_CODES.eventInvalid,
      `expected a CloudFormation custom-resource event, an EventBridge CloudTrail CreateLogGroup event or {"sluice":"resubscribe"}; wrong or missing: ${paths.join(', ')}`,
      paths.map((path) => ({ path, message: 'unexpected value' })),
    );
  }
  if (parsed.data.detail.errorCode !== undefined) return { kind: 'failed_call' };
  return { kind: 'created', logGroupName: parsed.data.detail.requestParameters.logGroupName };
}
