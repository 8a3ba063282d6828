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
  'serilog',
  'ecs',
  'otel',
  'structlog',
  'tracing',
  'logstash',
  'gcp',
  'log4j2',
  'python_json',
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
    message: z
      .string()
      .describe(
        "The human-readable message (may be empty): the logger's `msg`/`message`, the text of a plain or Lambda text line, or the text before the first frame of a stack trace (the whole trace is in `error.stack_trace`).",
      ),
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
      .strict()
      .describe('How the line was logged.'),
    service: z
      .object({
        name: z
          .string()
          .describe(
            "The component: the logger's own field when present (`service`, `service.name`, pino/bunyan `name`), else derived from the log group (`/aws/lambda/<fn>` → `<fn>`, otherwise its last path segment), `unknown` for raw lines without one.",
          ),
      })
      .strict()
      .describe('The component that wrote the line.'),
    transaction: z
      .object({
        id: z
          .string()
          .describe(
            'The transaction / correlation id, from the first configured field found (default transactionId, transaction_id, txId, correlationId, correlation_id, x-correlation-id, transaction.id); integers keep their exact digits.',
          ),
      })
      .strict()
      .optional()
      .describe('The transaction the event belongs to, when one can be found.'),
    trace: z
      .object({
        id: z
          .string()
          .describe(
            'X-Ray (`1-…-…`, also read from a `Root=…` header) or W3C (32 hex, also read from a `traceparent`) trace id.',
          ),
      })
      .strict()
      .optional()
      .describe('The distributed trace, when present.'),
    span: z
      .object({
        id: z
          .string()
          .describe(
            'W3C / OpenTelemetry span id (16 hex digits, lower case): an OpenTelemetry `spanId`, Serilog `@sp`, ECS `span.id`, Cloud Logging `spanId`, or the parent id of a `traceparent`.',
          ),
      })
      .strict()
      .optional()
      .describe('The span of the trace the line was written in, when present.'),
    event: z
      .object({
        id: z
          .string()
          .describe(
            'The CloudWatch Logs event id (unique; basis of the OpenSearch `_id`); for raw lines (`sluice process`) a hash of the source name and line number.',
          ),
        ingested: isoMs.describe('When the pipeline processed the event.'),
      })
      .strict()
      .describe('Pipeline metadata of the event.'),
    aws: z
      .object({
        cloudwatch: z
          .object({
            log_group: z.string().describe('Origin log group (empty for raw lines without an envelope).'),
            log_stream: z
              .string()
              .describe('Origin log stream (for raw lines: the source file name or `stdin`).'),
          })
          .strict()
          .describe('CloudWatch Logs origin.'),
      })
      .strict()
      .describe('AWS origin of the event.'),
    cloud: z
      .object({
        account: z
          .object({ id: z.string().describe('Origin AWS account id (the envelope `owner`).') })
          .strict()
          .optional()
          .describe('Origin AWS account.'),
        region: z.string().optional().describe('Origin AWS region, when known.'),
      })
      .strict()
      .optional()
      .describe('Cloud origin, when known.'),
    faas: z
      .object({
        execution: z
          .string()
          .optional()
          .describe(
            'The Lambda request id (Lambda text/JSON format, platform lines, Powertools `function_request_id`, `awsRequestId`).',
          ),
        name: z
          .string()
          .optional()
          .describe('The Lambda function name, when known (Powertools `function_name`, else the log group).'),
        coldstart: z
          .boolean()
          .optional()
          .describe(
            'True on the first invocation of an execution environment (Powertools `cold_start`, a REPORT with Init Duration).',
          ),
      })
      .strict()
      .optional()
      .describe('Function-as-a-service (Lambda) context.'),
    error: z
      .object({
        type: z.string().optional().describe('Error class / name.'),
        message: z.string().optional().describe('Error message.'),
        stack_trace: z.string().optional().describe('Stack trace as text (array stacks joined by newlines).'),
      })
      .strict()
      .optional()
      .describe(
        'The error the line carries: from `err` / `error` / `exception` objects or strings, the Lambda runtime’s `errorType` / `errorMessage` / `stackTrace`, a top-level `stack`, or a stack trace in text.',
      ),
    lambda: z
      .object({
        platform: z
          .string()
          .describe(
            'Platform record type: `start`, `end`, `report`, `init_start`, `init_report`, or the JSON `platform.*` type suffix in snake_case.',
          ),
        version: z.string().optional().describe('Function version from a START line.'),
        report: z
          .object({
            duration_ms: z.number().optional().describe('Duration of the invocation, ms.'),
            billed_duration_ms: z.number().optional().describe('Billed duration, ms.'),
            memory_size_mb: z.number().optional().describe('Configured memory, MB.'),
            max_memory_used_mb: z.number().optional().describe('Maximum memory used, MB.'),
            init_duration_ms: z.number().optional().describe('Init (cold start) duration, ms.'),
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
      .optional()
      .describe('Redaction applied by the filters.'),
    route: z.string().optional().describe('Destination chosen by a route rule (index / data stream suffix).'),
    attributes: z
      .record(z.string(), z.unknown())
      .describe(
        "Every other field of the application's JSON, kept as it was (fields of an error object that `error.*` does not hold stay under their key; integers beyond 2^53 in id-like keys become exact decimal strings).",
      ),
  })
  .strict();

/** A normalised log event. */
export type LogEvent = z.infer<typeof LogEventSchema>;
