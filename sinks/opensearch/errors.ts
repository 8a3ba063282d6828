import { SluiceError } from '../../core/errors.js';

/** Stable codes of the OpenSearch sink's errors (also the `error.code` of its dead letters). */
export const OPENSEARCH_ERROR_CODES = {
  /** A document was rejected for its content and could not be healed. */
  rejected: 'OPENSEARCH_DOCUMENT_REJECTED',
  /** A single document is larger than the cluster accepts in one request (HTTP 413). */
  tooLarge: 'OPENSEARCH_DOCUMENT_TOO_LARGE',
  /** Retryable failures (429, 5xx, connection, timeout) outlasted the retry budget. */
  retryBudget: 'OPENSEARCH_RETRY_BUDGET_EXHAUSTED',
  /**
   * The cluster refused the sink's credentials (401) or permissions (403), for a request or an
   * item. Retrying does not fix it and the events are good: handed back as not delivered, never
   * dead-lettered.
   */
  unauthorized: 'OPENSEARCH_UNAUTHORIZED',
  /** The request failed for a reason retrying does not fix (e.g. a bad request). */
  requestFailed: 'OPENSEARCH_REQUEST_FAILED',
  /** The write was aborted by the caller's signal. */
  aborted: 'OPENSEARCH_ABORTED',
  /** Templates / policies could not be installed. */
  setup: 'OPENSEARCH_SETUP_FAILED',
  /** The dead-letter store refused the letters; the events are handed back as not delivered. */
  deadLetterFailed: 'OPENSEARCH_DEAD_LETTER_FAILED',
  /** Bad sink options. */
  config: 'OPENSEARCH_CONFIG_INVALID',
} as const;
/** One of {@link OPENSEARCH_ERROR_CODES}. */
export type OpenSearchErrorCode = (typeof OPENSEARCH_ERROR_CODES)[keyof typeof OPENSEARCH_ERROR_CODES];

/** An error of the OpenSearch sink. Messages name error types and fields, never document content. */
export class OpenSearchSinkError extends SluiceError {
  declare readonly code: OpenSearchErrorCode;
  constructor(code: OpenSearchErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
