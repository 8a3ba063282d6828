import type { SluiceError } from './errors.js';

/**
 * What a filter decided for one event. {@link runStage} (`core/stage.ts`) alone turns a `fail`
 * into a dead letter (stage `filter`, id `filter:<event.id>`) and counts every `drop` by its
 * reason; the entry point that called it (Lambda transform handler, `sluice start`'s pipeline,
 * `sluice process`) stores the letters and, in Lambda, reports `batchItemFailures`.
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
