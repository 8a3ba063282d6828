import { SluiceError } from '../../core/errors.js';

/** Stable codes of on-failure record handling. */
export const ON_FAILURE_ERROR_CODES = {
  /** An object is not a Kinesis on-failure record (not JSON, or a field is missing or wrong). */
  invalid: 'ON_FAILURE_RECORD_INVALID',
  /** The record holds no records (Lambda's SQS/SNS shape: a pointer into the stream only). */
  noRecords: 'ON_FAILURE_RECORDS_MISSING',
  /** Re-submitting the records to their stream failed. */
  put: 'ON_FAILURE_PUT_FAILED',
} as const;
/** One of {@link ON_FAILURE_ERROR_CODES}. */
export type OnFailureErrorCode = (typeof ON_FAILURE_ERROR_CODES)[keyof typeof ON_FAILURE_ERROR_CODES];

/** An error about an on-failure record. Messages never hold record content. */
export class OnFailureError extends SluiceError {
  declare readonly code: OnFailureErrorCode;
  constructor(code: OnFailureErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
