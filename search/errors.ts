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

/** Where in the query a syntax error is, what was found there and what would have been valid. */
export interface QuerySyntaxDetail {
  /** 0-based character offset of the problem in the query. */
  readonly position: number;
  /** Characters the problem spans (at least 1; the caret/underline in the UI). */
  readonly length?: number;
  /** What was found there, described (e.g. `")"`, `end of query`, `field service.nam`). */
  readonly found: string;
  /** What would have been valid there (e.g. `a value`, `")"`). */
  readonly expected: readonly string[];
  /** A correction to offer ("did you mean service.name?"), when there is one. */
  readonly suggestion?: string;
}

/**
 * A query string the search language cannot parse (or that names a field the schema does not
 * have). Carries the position (offset, length), what was found, what was expected and an optional
 * suggestion; the message says all of it in words and never echoes a value of the query.
 */
export class QuerySyntaxError extends SluiceError {
  readonly position: number;
  readonly length: number;
  readonly found: string;
  readonly expected: readonly string[];
  readonly suggestion: string | undefined;

  constructor(problem: string, detail: QuerySyntaxDetail) {
    const hint = detail.suggestion === undefined ? '' : `; did you mean ${detail.suggestion}?`;
    super(
      SEARCH_ERROR_CODES.querySyntax,
      `${problem}: expected ${detail.expected.join(' or ')}, found ${detail.found} (at character ${detail.position + 1})${hint}`,
    );
    this.position = detail.position;
    this.length = Math.max(1, detail.length ?? 1);
    this.found = detail.found;
    this.expected = detail.expected;
    this.suggestion = detail.suggestion;
  }

  /** The JSON shape the HTTP API answers with (and the worker threads pass back). */
  toJSON(): {
    code: string;
    message: string;
    position: number;
    length: number;
    found: string;
    expected: readonly string[];
    suggestion?: string;
  } {
    return {
      code: this.code,
      message: this.message,
      position: this.position,
      length: this.length,
      found: this.found,
      expected: this.expected,
      ...(this.suggestion === undefined ? {} : { suggestion: this.suggestion }),
    };
  }

  /** Rebuilds the error from {@link toJSON}'s shape (worker thread → caller). */
  static fromJSON(j: ReturnType<QuerySyntaxError['toJSON']>): QuerySyntaxError {
    const err = new QuerySyntaxError('', { ...j });
    err.message = j.message;
    return err;
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
