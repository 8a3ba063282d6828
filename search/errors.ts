import { SluiceError } from '../core/errors.js';

/** Stable codes of the search module's errors. */
export const SEARCH_ERROR_CODES = {
  querySyntax: 'SEARCH_QUERY_SYNTAX',
  badRequest: 'SEARCH_BAD_REQUEST',
  backend: 'SEARCH_BACKEND_FAILED',
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
