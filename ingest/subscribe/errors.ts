import { SluiceError } from '../../core/errors.js';

/** Stable codes of {@link SubscribeError}. */
export const SUBSCRIBE_ERROR_CODES = {
  patternInvalid: 'SUBSCRIBE_PATTERN_INVALID',
  configInvalid: 'SUBSCRIBE_CONFIG_INVALID',
  eventInvalid: 'SUBSCRIBE_EVENT_INVALID',
  /** Log groups matched the patterns but could not be subscribed (an AWS error, or the filter limit). */
  notSubscribed: 'SUBSCRIBE_NOT_SUBSCRIBED',
} as const;
/** One of {@link SUBSCRIBE_ERROR_CODES}. */
export type SubscribeErrorCode = (typeof SUBSCRIBE_ERROR_CODES)[keyof typeof SUBSCRIBE_ERROR_CODES];

/** A problem with the auto-subscriber's configuration, patterns or trigger event, or groups it could not subscribe. */
export class SubscribeError extends SluiceError {
  /** Every problem found, each with its path (e.g. `include[2]`). */
  readonly problems: readonly { path: string; message: string }[];

  constructor(
    code: SubscribeErrorCode,
    message: string,
    problems: readonly { path: string; message: string }[] = [],
  ) {
    super(code, message);
    this.problems = problems;
  }
}
