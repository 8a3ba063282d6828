import { DEAD_LETTER_ERROR_CODES, DeadLetterError } from './errors.js';

/** Where dead letters are read from, parsed from a command-line argument. */
export type DeadLetterSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'sqs'; readonly queueUrl: string };

/**
 * Parses a replay source: `s3://bucket/prefix/`, an SQS queue URL
 * (`https://sqs.<region>.amazonaws.com/<account>/<queue>`, or an emulator's `http://host:port/<account>/<queue>`),
 * or else a local file path.
 */
export function parseDeadLetterSource(text: string): DeadLetterSource {
  if (text.startsWith('s3://')) {
    const rest = text.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new DeadLetterError(
        DEAD_LETTER_ERROR_CODES.source,
        `'${text}' does not name an S3 bucket; expected s3://<bucket>/<prefix>`,
      );
    }
    return { kind: 's3', bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1) };
  }
  if (/^https?:\/\//.test(text)) {
    const url = new URL(text);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length !== 2 || !/^\d{12}$/.test(parts[0] as string)) {
      throw new DeadLetterError(
        DEAD_LETTER_ERROR_CODES.source,
        `'${text}' is not an SQS queue URL; expected https://sqs.<region>.amazonaws.com/<account id>/<queue name>`,
      );
    }
    return { kind: 'sqs', queueUrl: text };
  }
  if (text.trim() === '') {
    throw new DeadLetterError(
      DEAD_LETTER_ERROR_CODES.source,
      'empty dead-letter source; expected a file, s3:// or queue URL',
    );
  }
  return { kind: 'file', path: text };
}
