import { SluiceError } from '../core/errors.js';

/** Stable codes of {@link TransformConfigError}. */
export const TRANSFORM_ERROR_CODES = {
  /** A normaliser option is invalid (e.g. a reserved field name). */
  configInvalid: 'TRANSFORM_CONFIG_INVALID',
} as const;

/** Bad normaliser options, raised by `compileNormalizer` (never while normalising events). */
export class TransformConfigError extends SluiceError {
  /** Every problem found, with the option path. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];

  constructor(problems: readonly { path: string; message: string }[]) {
    super(
      TRANSFORM_ERROR_CODES.configInvalid,
      `invalid normaliser options: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
    this.problems = problems;
  }
}

/** Stable codes of {@link OtlpBatchError}. */
export const OTLP_BATCH_ERROR_CODES = {
  /** A `logRecords` entry of an OTLP `resourceLogs` line is not a log record (not an object). */
  recordInvalid: 'OTLP_RECORD_INVALID',
  /** An OTLP `resourceLogs` line holds more log records than are split into events. */
  tooManyRecords: 'OTLP_BATCH_TOO_MANY_RECORDS',
} as const;

/**
 * What went wrong splitting an OTLP/JSON `resourceLogs` line into events. Never thrown at the
 * caller: it becomes the `error` of the event that stands for the bad part (that event keeps the
 * content), so the good records of the line still become events.
 */
export class OtlpBatchError extends SluiceError {}
