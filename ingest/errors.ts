import { SluiceError } from '../core/errors.js';

/** Stable codes of {@link IngestError}. */
export const INGEST_ERROR_CODES = {
  /** The record data is not standard base64. */
  base64Invalid: 'INGEST_BASE64_INVALID',
  /** The bytes are neither gzip nor a JSON object. */
  notGzip: 'INGEST_NOT_GZIP',
  /** The gzip stream is corrupt or cut off. */
  gzipInvalid: 'INGEST_GZIP_INVALID',
  /** The decompressed payload exceeds the configured bound (decompression-bomb guard). */
  tooLarge: 'INGEST_TOO_LARGE',
  /** The decompressed payload is not valid UTF-8. */
  utf8Invalid: 'INGEST_UTF8_INVALID',
  /** The payload is not JSON (or is nested too deeply to parse). */
  jsonInvalid: 'INGEST_JSON_INVALID',
  /** The JSON is not a CloudWatch Logs `DATA_MESSAGE` / `CONTROL_MESSAGE`. */
  envelopeInvalid: 'INGEST_ENVELOPE_INVALID',
  /** A Lambda event record lacks its data field. */
  recordInvalid: 'INGEST_RECORD_INVALID',
  /** An input line exceeds the maximum line length. */
  lineTooLong: 'INGEST_LINE_TOO_LONG',
} as const;

/** One of {@link INGEST_ERROR_CODES}. */
export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[keyof typeof INGEST_ERROR_CODES];

/** One schema problem of an envelope: where it is and what was expected (never the value itself). */
export interface EnvelopeProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A record (or input line) that could not be decoded into a CloudWatch Logs envelope. It concerns
 * that record only; its neighbours are decoded independently. Messages never echo the content.
 */
export class IngestError extends SluiceError {
  declare readonly code: IngestErrorCode;
  /** Schema problems, for {@link INGEST_ERROR_CODES.envelopeInvalid}. */
  readonly problems: readonly EnvelopeProblem[];

  constructor(
    code: IngestErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly EnvelopeProblem[] },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options?.problems ?? [];
  }
}
