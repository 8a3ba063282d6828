import type { SluiceError } from './errors.js';

/**
 * What a processor (a transform or a filter) decided for one event. The runner alone turns
 * failures into dead letters and Kinesis `batchItemFailures`; every drop carries a reason.
 */
export type Outcome<T> =
  | { readonly kind: 'keep'; readonly event: T }
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'fail'; readonly error: SluiceError };

/** Builds a `keep` outcome. */
export const keep = <T>(event: T): Outcome<T> => ({ kind: 'keep', event });
/** Builds a `drop` outcome; `reason` names the rule (e.g. `drop:health-checks`). */
export const drop = <T>(reason: string): Outcome<T> => ({ kind: 'drop', reason });
/** Builds a `fail` outcome. */
export const fail = <T>(error: SluiceError): Outcome<T> => ({ kind: 'fail', error });
