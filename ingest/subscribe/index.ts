export type { SubscriberConfig } from './config.js';
export { parseSubscriberConfig, SubscriberConfigSchema, subscriberConfigFromEnv } from './config.js';
export type { SubscribeErrorCode } from './errors.js';
export { SUBSCRIBE_ERROR_CODES, SubscribeError } from './errors.js';
export type { ResubscribeEvent, SubscriberTrigger } from './events.js';
export { classifyTrigger } from './events.js';
export type { LogGroupMatcher, SubscribeDecision } from './matcher.js';
export { compileLogGroupMatcher, coveringPrefixes } from './matcher.js';
export type { LogGroupGlob } from './patterns.js';
export { compileLogGroupGlob, MAX_PATTERN_LENGTH, validatePattern } from './patterns.js';
export type {
  SubscribeOutcome,
  SubscribeReport,
  SubscribeResult,
  Subscriber,
  SubscriberOptions,
} from './subscriber.js';
export { createSubscriber, SUBSCRIBE_RESULTS } from './subscriber.js';
