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

/** What triggered the auto-subscriber. */
export type SubscriberTrigger =
  | { readonly kind: 'created'; readonly logGroupName: string }
  | { readonly kind: 'failed_call' }
  | { readonly kind: 'deploy'; readonly requestType: 'Create' | 'Update' | 'Delete' };

/**
 * Classifies the handler's input: a CloudFormation custom-resource event (one-time subscription
 * of existing groups at deploy) or the EventBridge `CreateLogGroup` event. A CloudTrail record of
 * a call that failed (`errorCode` set) created nothing. Throws {@link SubscribeError}
 * `SUBSCRIBE_EVENT_INVALID` for anything else (the message never echoes the event's content).
 */
export function classifyTrigger(
  event: CloudFormationCustomResourceEvent | EventBridgeEvent<string, unknown> | unknown,
): SubscriberTrigger {
  if (typeof event === 'object' && event !== null && 'RequestType' in event) {
    const rt = (event as { RequestType: unknown }).RequestType;
    if (rt === 'Create' || rt === 'Update' || rt === 'Delete') return { kind: 'deploy', requestType: rt };
  }
  const parsed = CreateLogGroupEventSchema.safeParse(event);
  if (!parsed.success) {
    const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))];
    throw new SubscribeError(
      SUBSCRIBE_ERROR_CODES.eventInvalid,
      `expected a CloudFormation custom-resource event or an EventBridge CloudTrail CreateLogGroup event; wrong or missing: ${paths.join(', ')}`,
      paths.map((path) => ({ path, message: 'unexpected value' })),
    );
  }
  if (parsed.data.detail.errorCode !== undefined) return { kind: 'failed_call' };
  return { kind: 'created', logGroupName: parsed.data.detail.requestParameters.logGroupName };
}
