import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { StartConfigError } from './errors.js';

const port = z.number().int().min(0).max(65_535);
const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name like SLUICE_TOKEN');

/** The `sluice start` config file (YAML). Strict: unknown keys are errors. */
const StartConfigSchema = z
  .object({
    data_dir: z
      .string()
      .min(1)
      .default('.sluice')
      .describe(
        'Folder of the embedded store and the dead letters (created; relative to the working directory).',
      ),
    http: z
      .object({
        host: z
          .string()
          .min(1)
          .default('127.0.0.1')
          .describe(
            'Address the UI, search API and ingest endpoint listen on. Keep 127.0.0.1 unless you mean to expose it.',
          ),
        port: port
          .default(4600)
          .describe('Port of the UI, search API and ingest endpoint (0 = any free port).'),
        max_body_bytes: z
          .number()
          .int()
          .min(1024)
          .max(256 * 1024 * 1024)
          .default(32 * 1024 * 1024)
          .describe(
            'Largest ingest request body accepted as sent (before any decompression), in bytes; past it: 413.',
          ),
        limits: z
          .object({
            max_decoded_bytes: z
              .number()
              .int()
              .min(1024)
              .max(1024 * 1024 * 1024)
              .default(64 * 1024 * 1024)
              .describe(
                'Bytes one ingest request may inflate to, summed over the body and every payload nested in it (gzip bodies, awslogs/Kinesis/Firehose data); past it: 413.',
              ),
            max_events_per_request: z
              .number()
              .int()
              .min(1)
              .max(10_000_000)
              .default(100_000)
              .describe(
                'Events in one ingest request (lines plus the events of every payload); past it: 413.',
              ),
            max_concurrent_requests: z
              .number()
              .int()
              .min(1)
              .max(1000)
              .default(2)
              .describe('Ingest requests read at once; more are answered 429 with Retry-After: 1.'),
            max_event_bytes: z
              .number()
              .int()
              .min(1024)
              .max(16 * 1024 * 1024)
              .default(256 * 1024)
              .describe(
                'Bytes of one event (a line, or a log event message); longer ones are kept, cut with a marker, and counted as truncated.',
              ),
            max_event_fields: z
              .number()
              .int()
              .min(10)
              .max(100_000)
              .default(1000)
              .describe(
                'Fields of one JSON event; the first ones are kept, a _sluice_truncated field says how many there were, and the event is counted as truncated.',
              ),
            request_timeout_ms: z
              .number()
              .int()
              .min(1000)
              .max(3_600_000)
              .default(60_000)
              .describe(
                'Time a client has to send a whole request (headers and body); then the connection is closed.',
              ),
            headers_timeout_ms: z
              .number()
              .int()
              .min(1000)
              .max(600_000)
              .default(10_000)
              .describe('Time a client has to send the request headers.'),
            max_connections: z
              .number()
              .int()
              .min(1)
              .max(100_000)
              .default(256)
              .describe('Open connections at once; more are refused.'),
            search_timeout_ms: z
              .number()
              .int()
              .min(100)
              .max(600_000)
              .default(15_000)
              .describe(
                'Time one search, trace or tail may run (in a worker thread) before it is stopped: 503.',
              ),
          })
          .strict()
          .default({
            max_decoded_bytes: 64 * 1024 * 1024,
            max_events_per_request: 100_000,
            max_concurrent_requests: 2,
            max_event_bytes: 256 * 1024,
            max_event_fields: 1000,
            request_timeout_ms: 120_000,
            headers_timeout_ms: 10_000,
            max_connections: 256,
            search_timeout_ms: 15_000,
          })
          .describe('Hard budgets of the HTTP server (docs/start.md, "Security").'),
        ingest_token_env: envName
          .optional()
          .describe(
            'Name of an environment variable holding a bearer token that /ingest/ndjson and /ingest/cwl then require.',
          ),
        firehose_access_key_env: envName
          .optional()
          .describe(
            'Name of an environment variable holding the access key that /ingest/firehose then requires in X-Amz-Firehose-Access-Key.',
          ),
        token_env: envName
          .optional()
          .describe(
            'Name of an environment variable holding a token that EVERY endpoint then requires (UI, API, ingest): "Authorization: Bearer <token>", the cookie set by opening /?token=<token>, or X-Amz-Firehose-Access-Key on /ingest/firehose. Required when host is not a loopback address.',
          ),
        allowed_hosts: z
          .array(
            z
              .string()
              .regex(
                /^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/,
                'expected a host name like logs.internal or .internal',
              ),
          )
          .default([])
          .describe(
            'Host names served besides localhost, *.localhost and IP addresses (requests naming any other Host are refused: DNS rebinding); a leading dot also matches subdomains.',
          ),
        cors_origins: z
          .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'expected an origin like http://localhost:3000'))
          .default([])
          .describe(
            'Origins of web pages allowed to read and write through the browser (CORS). Default none: pages of other origins are refused.',
          ),
      })
      .strict()
      .default({
        host: '127.0.0.1',
        port: 4600,
        max_body_bytes: 32 * 1024 * 1024,
        allowed_hosts: [],
        cors_origins: [],
        limits: {
          max_decoded_bytes: 64 * 1024 * 1024,
          max_events_per_request: 100_000,
          max_concurrent_requests: 2,
          max_event_bytes: 256 * 1024,
          max_event_fields: 1000,
          request_timeout_ms: 120_000,
          headers_timeout_ms: 10_000,
          max_connections: 256,
          search_timeout_ms: 15_000,
        },
      })
      .describe('The HTTP server.'),
    sources: z
      .object({
        demo: z
          .object({
            enabled: z
              .boolean()
              .default(true)
              .describe('Run the built-in demo components (five services calling each other).'),
            rate_per_second: z
              .number()
              .min(0.1)
              .max(1000)
              .default(2)
              .describe('Demo checkouts per second (each ~20 log lines).'),
            backfill_minutes: z
              .number()
              .int()
              .min(0)
              .max(24 * 60)
              .default(10)
              .describe('Minutes of demo history generated at start.'),
          })
          .strict()
          .default({ enabled: true, rate_per_second: 2, backfill_minutes: 10 }),
        stdin: z
          .boolean()
          .default(false)
          .describe('Read log lines from standard input (`node app.js | sluice start --stdin`).'),
        http: z
          .boolean()
          .default(true)
          .describe('Accept events on POST /ingest/ndjson, /ingest/cwl and /ingest/firehose.'),
        kinesis: z
          .object({
            stream_name: z
              .string()
              .min(1)
              .max(128)
              .describe('Kinesis stream of CloudWatch Logs subscription records (the "raw" stream).'),
            region: z.string().min(1).default('us-east-1').describe('AWS region of the stream.'),
            endpoint: z
              .url()
              .optional()
              .describe(
                'Endpoint of an emulator (e.g. moto at http://127.0.0.1:5000); absent for real AWS (default credential chain).',
              ),
            starting_position: z
              .enum(['TRIM_HORIZON', 'LATEST'])
              .default('TRIM_HORIZON')
              .describe('Where a shard without a checkpoint starts.'),
          })
          .strict()
          .optional()
          .describe('Poll a Kinesis stream like a Lambda event source mapping (checkpoints in data_dir).'),
      })
      .strict()
      .default({
        demo: { enabled: true, rate_per_second: 2, backfill_minutes: 10 },
        stdin: false,
        http: true,
      })
      .describe('Where events come from (any number at once).'),
    rules: z
      .object({
        file: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Rules file (see docs/filters.md); default: the built-in start rules (drop health checks, mask emails) plus the default secret pack.',
          ),
        secrets_env: z
          .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), envName)
          .default({})
          .describe('Named HMAC keys for `hash` redaction: key name → environment variable holding it.'),
      })
      .strict()
      .default({ secrets_env: {} }),
    transaction_id_fields: z
      .array(z.string().min(1))
      .optional()
      .describe("Field names holding the transaction id, first match wins (default: the normaliser's list)."),
    sink: z
      .discriminatedUnion('kind', [
        z
          .object({
            kind: z.literal('sqlite').describe('The embedded store in data_dir.'),
            retention_hours: z
              .number()
              .int()
              .min(1)
              .max(10 * 365 * 24)
              .default(168)
              .describe(
                'Events whose @timestamp is older than this many hours are deleted (checked at start and every minute). Default 168 = 7 days.',
              ),
            max_store_mb: z
              .number()
              .int()
              .min(16)
              .max(16 * 1024 * 1024)
              .optional()
              .describe(
                'Largest size of the store on disk in MB: when it is bigger, the oldest events are deleted (whatever their age) until it fits, and the space is given back to the file system. Default: no cap, only retention_hours.',
              ),
          })
          .strict(),
        z
          .object({
            kind: z.literal('opensearch'),
            url: z.url().describe('OpenSearch endpoint, e.g. http://127.0.0.1:9201.'),
            index_prefix: z
              .string()
              .regex(/^sluice-logs(-[a-z0-9-]+)?$/)
              .default('sluice-logs')
              .describe('Index / data stream prefix (the search API reads `sluice-logs-*`).'),
            aws_region: z
              .string()
              .optional()
              .describe('Sign requests with SigV4 for Amazon OpenSearch Service in this region.'),
          })
          .strict(),
      ])
      .default({ kind: 'sqlite', retention_hours: 168 })
      .describe('Where events are stored and searched.'),
    queue: z
      .object({
        capacity_events: z
          .number()
          .int()
          .min(100)
          .max(1_000_000)
          .default(20_000)
          .describe('Events held in memory before sources are slowed down (backpressure).'),
        batch_size: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .default(1000)
          .describe('Events written to the store per transaction / bulk request.'),
      })
      .strict()
      .default({ capacity_events: 20_000, batch_size: 1000 }),
  })
  .strict();

/** A validated start config. */
export type StartConfig = z.infer<typeof StartConfigSchema>;

/** Parses and validates a config file's YAML text; throws {@link StartConfigError} listing every problem. */
export function parseStartConfig(text: string, source: string): StartConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new StartConfigError(
      source,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return `line ${pos.line}:${pos.col}: ${e.code}: YAML syntax error`;
      }),
    );
  }
  return validateStartConfig(doc.toJS() ?? {}, source, (path) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    if (!node?.range) return '';
    const pos = lines.linePos(node.range[0]);
    return `line ${pos.line}:${pos.col}: `;
  });
}

/** Validates an already-parsed config value. */
export function validateStartConfig(
  value: unknown,
  source: string,
  where: (path: (string | number)[]) => string = () => '',
): StartConfig {
  const r = StartConfigSchema.safeParse(value);
  if (r.success) return r.data;
  throw new StartConfigError(
    source,
    r.error.issues.map((i) => {
      const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
      return `${where(path)}${path.join('.') || '(root)'}: ${i.message}`;
    }),
  );
}

/** The JSON Schema of the config file (written to docs/start-config.schema.json). */
export function startConfigJsonSchema(): unknown {
  return z.toJSONSchema(StartConfigSchema, { io: 'input' });
}
