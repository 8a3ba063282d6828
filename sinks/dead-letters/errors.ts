import { SluiceError } from '../../core/errors.js';

/** Stable codes of the dead-letter stores. */
export const DEAD_LETTER_ERROR_CODES = {
  /** A stored line/object/message is not a dead letter. */
  malformed: 'DLQ_LETTER_MALFORMED',
  /** A replay source string is not a file path, s3:// URL or SQS queue URL. */
  source: 'DLQ_SOURCE_INVALID',
  /** Storing letters failed. */
  put: 'DLQ_PUT_FAILED',
} as const;
/** One of {@link DEAD_LETTER_ERROR_CODES}. */
export type DeadLetterErrorCode = (typeof DEAD_LETTER_ERROR_CODES)[keyof typeof DEAD_LETTER_ERROR_CODES];

/** An error of a dead-letter store. Messages never hold the letters' content. */
export class DeadLetterError extends SluiceError {
  declare readonly code: DeadLetterErrorCode;
  constructor(code: DeadLetterErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
