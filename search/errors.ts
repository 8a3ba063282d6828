import { SluiceError } from '../core/errors.js';

/** Stable codes of the search module's errors. */
export const SEARCH_ERROR_CODES = {
  querySyntax: 'SEARCH_QUERY_SYNTAX',
  badRequest: 'SEARCH_BAD_REQUEST',
  backend: 'SEARCH_BACKEND_FAILED',
  timeout: 'SEARCH_TIMEOUT',
  busy: 'SEARCH_BUSY',
  cancelled: 'SEARCH_CANCELLED',
} as const;

/**
 * A query string the search language cannot parse. `position` is the 0-based character offset
 * where the problem was found. The message never echoes the query text itself.
 */
export class QuerySyntaxError extends SluiceError {
  readonly position: number;

  constructor(message: string, position: number) {
    super(SEARCH_ERROR_CODES.querySyntax, `${message} (at character ${position + 1})`);
    this.position = position;
  }
}

/** A search request whose parameters are out of range (bad time range, page size, cursor…). */
export class SearchRequestError extends SluiceError {
  constructor(message: string) {
    super(SEARCH_ERROR_CODES.badRequest, message);
  }
}

/** The storage backend failed to answer (database error, OpenSearch unreachable…). */
export class SearchBackendError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(SEARCH_ERROR_CODES.backend, message, options);
  }
}

/** A query that ran past its time budget (it was stopped) or that nobody waits for any more. */
export class SearchStoppedError extends SluiceError {
  constructor(
    code: typeof SEARCH_ERROR_CODES.timeout | typeof SEARCH_ERROR_CODES.cancelled,
    message: string,
  ) {
    super(code, message);
  }
}

/** Every search worker is taken and the waiting line is full: retry shortly. */
export class SearchBusyError extends SluiceError {
  constructor(message: string) {
    super(SEARCH_ERROR_CODES.busy, message);
  }
}
