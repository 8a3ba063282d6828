/**
 * Base of every typed error Sluice raises. Each module keeps its own small hierarchy in its
 * `errors.ts`, extending this class with stable `code`s.
 *
 * Messages say what was wrong, the value received (never raw event content: it may hold
 * secrets) and what was expected.
 */
export class SluiceError extends Error {
  /** Stable machine-readable code, e.g. `INGEST_GZIP_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Describes a value for an error message without echoing its content. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'object') return `an object with ${Object.keys(value).length} keys`;
  return `a ${typeof value}`;
}
