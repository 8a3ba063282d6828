import { SluiceError } from '../../core/errors.js';

/** Stable codes of the Kinesis sink's errors. */
export const KINESIS_ERROR_CODES = {
  /** One event serialises to more than fits in one Kinesis record. */
  eventTooLarge: 'KINESIS_EVENT_TOO_LARGE',
  /** `PutRecords` kept failing for an entry after every retry. */
  putFailed: 'KINESIS_PUT_FAILED',
  /** A record read from the events stream is not NDJSON of valid `LogEvent`s. */
  recordInvalid: 'KINESIS_RECORD_INVALID',
  /** Bad writer options. */
  config: 'KINESIS_CONFIG_INVALID',
} as const;
/** One of {@link KINESIS_ERROR_CODES}. */
export type KinesisErrorCode = (typeof KINESIS_ERROR_CODES)[keyof typeof KINESIS_ERROR_CODES];

/** An error of the Kinesis sink (packing, `PutRecords`, decoding records of the events stream). */
export class KinesisSinkError extends SluiceError {
  declare readonly code: KinesisErrorCode;
  constructor(code: KinesisErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
