import { SluiceError } from '../../core/errors.js';

/** Stable codes of {@link HttpError}: one per way a request to `sluice start` is refused. */
export const HTTP_ERROR_CODES = {
  /** The request (URL, header, body) is malformed. */
  badRequest: 'BAD_REQUEST',
  /** The `Host` header names neither a loopback name, an IP address nor a configured host (DNS rebinding). */
  hostNotAllowed: 'HOST_NOT_ALLOWED',
  /** A browser request from another origin (Origin / Sec-Fetch-Site) that no `cors_origins` entry allows. */
  originNotAllowed: 'ORIGIN_NOT_ALLOWED',
  /** The token is missing or wrong. */
  unauthorized: 'UNAUTHORIZED',
  /** No such route. */
  notFound: 'NOT_FOUND',
  /** The route exists but not for this method. */
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  /** A body, a decompressed body or a payload inside it is past its byte budget, or it holds too many events. */
  tooLarge: 'PAYLOAD_TOO_LARGE',
  /** The content type (or content encoding) is not one the endpoint takes. */
  unsupportedMedia: 'UNSUPPORTED_MEDIA_TYPE',
  /** Every ingest slot is taken: retry after `Retry-After` seconds. */
  busy: 'TOO_MANY_REQUESTS',
  /** The body did not arrive within the request timeout. */
  timeout: 'REQUEST_TIMEOUT',
  /** `sluice start` is stopping: retry later. */
  stopping: 'STOPPING',
  /** A search ran past its time budget. */
  searchTimeout: 'SEARCH_TIMEOUT',
} as const;

/** One of {@link HTTP_ERROR_CODES}. */
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[keyof typeof HTTP_ERROR_CODES];

/** A request refused with an HTTP status and a stable code. Messages never echo request content. */
export class HttpError extends SluiceError {
  declare readonly code: HttpErrorCode;
  constructor(
    readonly status: number,
    code: HttpErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, message);
  }
}
