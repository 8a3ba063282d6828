import { z } from 'zod';

/** The normalised log levels, lowest first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The shapes of log line the parser recognises (recorded in `log.format`). */
export const LOG_FORMATS = [
  'pino',
  'bunyan',
  'powertools',
  'json',
  'lambda_text',
  'lambda_json',
  'lambda_platform',
  'text',
] as const;
/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];

const isoMs = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .describe('ISO 8601 UTC with milliseconds, e.g. 2024-05-01T12:00:00.000Z');

/**
 * The normalised event: the contract between the transform stage, the filters, the sinks,
 * the trace explorer and the component logger. Nested objects in the ECS style; see
 * `docs/event-schema.md` (generated from the `.describe()` texts here).
 */
export const LogEventSchema = z
  .object({
    '@timestamp': isoMs.describe(
      "Event time: the line's own time field when it has one, else the CloudWatch event timestamp.",
    ),
    message: z.string().describe('The human-readable message (may be empty).'),
    log: z
      .object({
        level: z
          .enum(LOG_LEVELS)
          .describe('Normalised level (pino/bunyan numbers, Powertools, Lambda levels).'),
        format: z.enum(LOG_FORMATS).describe('The shape of line the parser recognised.'),
        logger: z.string().optional().describe('The logger name, when the line names one.'),
        truncated: z
          .boolean()
          .optional()
          .describe('True when the line looked like JSON but was cut off; the text is kept in `message`.'),
      })
      .strict(),
    service: z
      .object({
        name: z
          .string()
          .describe("The component: the logger's own field when present, else derived from the log group."),
      })
      .strict(),
    transaction: z
      .object({ id: z.string().describe('The transaction / correlation id.') })
      .strict()
      .optional(),
    trace: z
      .object({ id: z.string().describe('X-Ray (`1-…-…`) or W3C (32 hex) trace id.') })
      .strict()
      .optional(),
    event: z
      .object({
        id: z.string().describe('The CloudWatch Logs event id (unique; basis of the OpenSearch `_id`).'),
        ingested: isoMs.describe('When the pipeline processed the event.'),
      })
      .strict(),
    aws: z
      .object({
        cloudwatch: z
          .object({
            log_group: z.string().describe('Origin log group.'),
            log_stream: z.string().describe('Origin log stream.'),
          })
          .strict(),
      })
      .strict(),
    cloud: z
      .object({
        account: z
          .object({ id: z.string().describe('Origin AWS account id.') })
          .strict()
          .optional(),
        region: z.string().optional().describe('Origin AWS region, when known.'),
      })
      .strict()
      .optional(),
    faas: z
      .object({
        execution: z.string().optional().describe('The Lambda request id.'),
        name: z.string().optional().describe('The Lambda function name, when known.'),
        coldstart: z
          .boolean()
          .optional()
          .describe('True on the first invocation of an execution environment.'),
      })
      .strict()
      .optional(),
    error: z
      .object({
        type: z.string().optional().describe('Error class / name.'),
        message: z.string().optional().describe('Error message.'),
        stack_trace: z.string().optional().describe('Stack trace as text.'),
      })
      .strict()
      .optional(),
    lambda: z
      .object({
        platform: z
          .string()
          .describe('Platform record type: `start`, `end`, `report`, or the JSON `platform.*` type suffix.'),
        version: z.string().optional().describe('Function version from a START line.'),
        report: z
          .object({
            duration_ms: z.number().optional(),
            billed_duration_ms: z.number().optional(),
            memory_size_mb: z.number().optional(),
            max_memory_used_mb: z.number().optional(),
            init_duration_ms: z.number().optional(),
          })
          .strict()
          .optional()
          .describe('REPORT figures as numbers.'),
      })
      .strict()
      .optional()
      .describe('Lambda platform lines (START/END/REPORT and `platform.*`).'),
    redaction: z
      .object({
        rules: z.array(z.string()).describe('Names of the redaction rules that changed this event.'),
      })
      .strict()
      .optional(),
    route: z.string().optional().describe('Destination chosen by a route rule (index / data stream suffix).'),
    attributes: z
      .record(z.string(), z.unknown())
      .describe("Every other field of the application's JSON, kept as it was."),
  })
  .strict();

/** A normalised log event. */
export type LogEvent = z.infer<typeof LogEventSchema>;
