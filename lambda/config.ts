import { z } from 'zod';
import { type IndexLifecycle, IndexLifecycleSchema } from '../sinks/opensearch/config.js';
import { type ConfigProblem, LambdaConfigError } from './errors.js';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

const opensearchUrl = z
  .string()
  .url()
  .refine(
    (v) => {
      const u = new URL(v);
      return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
    },
    { message: 'an https URL (http only for a loopback host)' },
  );

const commaList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  )
  .pipe(z.array(z.string()).min(1));

/** Variables both handlers read. */
const common = {
  AWS_REGION: z.string().min(1).describe('AWS region (set by the Lambda runtime).'),
  SLUICE_METRICS_NAMESPACE: z
    .string()
    .min(1)
    .max(255)
    .default('Sluice')
    .describe('CloudWatch metrics namespace of the per-batch EMF line.'),
  SLUICE_LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe("Level of the handler's own log lines."),
  SLUICE_DLQ_BUCKET: z.string().min(3).max(63).optional().describe('S3 bucket for dead letters.'),
  SLUICE_DLQ_QUEUE_URL: z.string().url().optional().describe('SQS queue URL for dead letters.'),
};

/** Environment of the transform handler (raw stream → events stream). */
const TransformEnvSchema = z
  .object({
    ...common,
    SLUICE_EVENTS_STREAM: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{1,128}$/)
      .describe('Name of the Kinesis "events" stream kept events are written to.'),
    SLUICE_RULES_FILE: z
      .string()
      .min(1)
      .optional()
      .describe('Path of a rules YAML inside the bundle; the default pack applies when absent.'),
    SLUICE_SECRETS_ARN: z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:/)
      .optional()
      .describe('Secrets Manager secret: a JSON object of named HMAC keys for hash redaction.'),
    SLUICE_TRANSACTION_ID_FIELDS: commaList
      .optional()
      .describe('Comma list of JSON fields that carry the transaction id, in order of preference.'),
    SLUICE_EVENTS_PARTITION_BUCKETS: z.coerce
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe(
        'Partition-key buckets of the events stream (default 128): a transaction stays on one shard and records carry many transactions; 0 = one key (and record) per transaction.',
      ),
    SLUICE_EVENTS_COMPRESSION: z
      .enum(['gzip', 'none'])
      .optional()
      .describe('Encoding of events-stream records: gzip (default, ~5× fewer bytes) or none (plain NDJSON).'),
  })
  .describe('Transform handler environment');

/** Environment of the sink handler (events stream → OpenSearch). */
const SinkEnvSchema = z
  .object({
    ...common,
    SLUICE_OPENSEARCH_ENDPOINT: opensearchUrl.describe('OpenSearch endpoint (https URL).'),
    SLUICE_OPENSEARCH_SERVICE: z
      .enum(['es', 'aoss'])
      .default('es')
      .describe('SigV4 service: `es` (managed domain) or `aoss` (serverless).'),
    SLUICE_INDEX_PREFIX: z
      .string()
      .regex(/^sluice-logs[a-z0-9_-]*$/)
      .default('sluice-logs')
      .describe('Index / data stream prefix; must start with `sluice-logs` (search uses `sluice-logs-*`).'),
    SLUICE_RETRY_BUDGET_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(900_000)
      .optional()
      .describe('Time the sink may spend retrying one batch before reporting it not delivered.'),
    SLUICE_INDEX_LIFECYCLE: z
      .string()
      .transform((text, ctx) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
          return z.NEVER;
        }
        const res = IndexLifecycleSchema.safeParse(value);
        if (res.success) return res.data;
        for (const i of res.error.issues) {
          ctx.addIssue({ code: 'custom', message: `${i.path.join('.') || '(root)'}: ${i.message}` });
        }
        return z.NEVER;
      })
      .optional()
      .describe(
        'Index settings and ISM lifecycle (JSON: shards, replicas, rollover_min_size, rollover_min_age, retention_days, warm_after_days, cold_after_days, cold_replicas) the sink installs; set by the stack to what the deploy applied.',
      ),
  })
  .describe('Sink handler environment');

/** Every `SLUICE_*` name any Sluice Lambda reads; other `SLUICE_*` names are typos. */
const KNOWN_SLUICE_VARIABLES: ReadonlySet<string> = new Set([
  ...Object.keys(TransformEnvSchema.shape),
  ...Object.keys(SinkEnvSchema.shape),
  'SLUICE_DESTINATION_ARN',
  'SLUICE_SUBSCRIPTION_ROLE_ARN',
  'SLUICE_INCLUDE_PATTERNS',
  'SLUICE_EXCLUDE_PATTERNS',
  'SLUICE_FILTER_NAME',
  'SLUICE_FILTER_PATTERN',
]);

/** Where dead letters go. */
export type DeadLetterTarget = { kind: 's3'; bucket: string } | { kind: 'sqs'; queueUrl: string };

/** Settings both handlers share. */
export interface CommonConfig {
  readonly region: string;
  readonly metricsNamespace: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly deadLetters: DeadLetterTarget;
}

/** Validated transform handler configuration. */
export interface TransformConfig extends CommonConfig {
  readonly eventsStream: string;
  readonly rulesFile?: string;
  readonly secretsArn?: string;
  readonly transactionIdFields?: readonly string[];
  /** Partition-key buckets of the events stream (absent: the writer's default). */
  readonly partitionBuckets?: number;
  /** Encoding of events-stream records (absent: the writer's default, gzip). */
  readonly compression?: 'gzip' | 'none';
}

/** Validated sink handler configuration. */
export interface SinkConfig extends CommonConfig {
  readonly opensearch: { readonly endpoint: string; readonly service: 'es' | 'aoss' };
  readonly indexPrefix: string;
  readonly retryBudgetMs?: number;
  /** Index settings and lifecycle the sink's setup installs (absent: the sink's defaults). */
  readonly indexLifecycle?: IndexLifecycle;
}

type Env = Readonly<Record<string, string | undefined>>;

function received(env: Env, variable: string): string {
  const v = env[variable];
  if (v === undefined) return 'nothing (not set)';
  if (v === '') return 'an empty string';
  return `a value of ${v.length} characters`;
}

function parse<S extends z.ZodObject>(schema: S, env: Env): z.output<S> {
  const relevant: Record<string, string> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name in schema.shape) relevant[name] = value;
    else if (name.startsWith('SLUICE_') && !KNOWN_SLUICE_VARIABLES.has(name)) {
      problems.push({
        variable: name,
        received: received(env, name),
        expected: 'no such variable (a typo?)',
      });
    }
  }
  const result = schema.safeParse(relevant);
  if (result.success && problems.length === 0) return result.data;
  for (const issue of result.success ? [] : result.error.issues) {
    const variable = String(issue.path[0] ?? '(environment)');
    const field = schema.shape[variable] as z.ZodType | undefined;
    const what = field?.description ? `${field.description.replace(/\.$/, '')}: ` : '';
    problems.push({ variable, received: received(env, variable), expected: `${what}${issue.message}` });
  }
  problems.push(...deadLetterProblems(env));
  throw new LambdaConfigError(problems);
}

function deadLetterProblems(env: Env): ConfigProblem[] {
  const both = Boolean(env['SLUICE_DLQ_BUCKET']) && Boolean(env['SLUICE_DLQ_QUEUE_URL']);
  const none = !env['SLUICE_DLQ_BUCKET'] && !env['SLUICE_DLQ_QUEUE_URL'];
  if (!both && !none) return [];
  return [
    {
      variable: 'SLUICE_DLQ_BUCKET / SLUICE_DLQ_QUEUE_URL',
      received: both ? 'both set' : 'neither set',
      expected: 'exactly one of them (where dead letters go)',
    },
  ];
}

function commonOf(env: z.output<typeof TransformEnvSchema> | z.output<typeof SinkEnvSchema>): CommonConfig {
  const deadLetters: DeadLetterTarget = env.SLUICE_DLQ_BUCKET
    ? { kind: 's3', bucket: env.SLUICE_DLQ_BUCKET }
    : { kind: 'sqs', queueUrl: env.SLUICE_DLQ_QUEUE_URL ?? '' };
  return {
    region: env.AWS_REGION,
    metricsNamespace: env.SLUICE_METRICS_NAMESPACE,
    logLevel: env.SLUICE_LOG_LEVEL,
    deadLetters,
  };
}

function checked<T>(env: Env, build: () => T): T {
  const problems = deadLetterProblems(env);
  if (problems.length > 0) throw new LambdaConfigError(problems);
  return build();
}

/**
 * Validates the transform handler's environment. Throws {@link LambdaConfigError} listing
 * every problem (bad values, missing variables, unknown `SLUICE_*` names, dead-letter target).
 */
export function loadTransformConfig(env: Env): TransformConfig {
  const e = parse(TransformEnvSchema, env);
  return checked(env, () => ({
    ...commonOf(e),
    eventsStream: e.SLUICE_EVENTS_STREAM,
    rulesFile: e.SLUICE_RULES_FILE,
    secretsArn: e.SLUICE_SECRETS_ARN,
    transactionIdFields: e.SLUICE_TRANSACTION_ID_FIELDS,
    partitionBuckets: e.SLUICE_EVENTS_PARTITION_BUCKETS,
    compression: e.SLUICE_EVENTS_COMPRESSION,
  }));
}

/** Validates the sink handler's environment; throws {@link LambdaConfigError} listing every problem. */
export function loadSinkConfig(env: Env): SinkConfig {
  const e = parse(SinkEnvSchema, env);
  return checked(env, () => ({
    ...commonOf(e),
    opensearch: { endpoint: e.SLUICE_OPENSEARCH_ENDPOINT, service: e.SLUICE_OPENSEARCH_SERVICE },
    indexPrefix: e.SLUICE_INDEX_PREFIX,
    retryBudgetMs: e.SLUICE_RETRY_BUDGET_MS,
    indexLifecycle: e.SLUICE_INDEX_LIFECYCLE,
  }));
}
