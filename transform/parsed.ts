import type { ErrorFields } from './error-fields.js';
import type { LogFormat, LogLevel } from './schema.js';

/** REPORT figures of a Lambda platform line. */
export interface ReportFields {
  duration_ms?: number;
  billed_duration_ms?: number;
  memory_size_mb?: number;
  max_memory_used_mb?: number;
  init_duration_ms?: number;
}

/** The `lambda` block of a platform line. */
export interface LambdaFields {
  platform: string;
  version?: string;
  report?: ReportFields;
}

/**
 * What the parsers read from one line, before the normaliser adds the envelope's context
 * (event id, log group, fallbacks). Internal to `transform/`.
 */
export interface ParsedLine {
  format: LogFormat;
  message: string;
  level?: LogLevel;
  /** ISO 8601 UTC with ms. */
  time?: string;
  /**
   * A time without a year (RFC 3164 syslog `Mmm dd hh:mm:ss`) when the line gives no other: the
   * normaliser completes the year from the event's CloudWatch timestamp (see `yearlessMs`).
   */
  yearlessTime?: string;
  logger?: string;
  truncated?: boolean;
  service?: string;
  transactionId?: string;
  traceId?: string;
  spanId?: string;
  execution?: string;
  faasName?: string;
  coldstart?: boolean;
  error?: ErrorFields;
  lambda?: LambdaFields;
  attributes?: Record<string, unknown>;
}

/** One configured field name: a top-level key, and for dotted names also the nested path. */
export interface FieldSpec {
  readonly key: string;
  readonly path?: readonly string[];
}

/** The normaliser's compiled settings, shared by the parsers. */
export interface ParserSettings {
  readonly transactionFields: readonly FieldSpec[];
  readonly traceFields: readonly FieldSpec[];
  /** JSON nested deeper than this is kept as text (it could not be serialised safely). */
  readonly maxDepth: number;
  /** Key → roles table of the record parser (see `compileRoles`). */
  readonly roles: ReadonlyMap<
    string,
    readonly { readonly k: string; readonly g: number; readonly p: number; readonly spec?: FieldSpec }[]
  >;
}
