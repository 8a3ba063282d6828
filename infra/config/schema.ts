import { z } from 'zod';
import { validatePattern } from '../../ingest/subscribe/patterns.js';
import { IndicesSchema } from './indices.js';
import { PROFILE_NAMES, resolveProfile } from './profiles.js';

const glob = z
  .string()
  .superRefine((v, ctx) => {
    const problem = validatePattern(v);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Log group glob: `*` any run of characters (including `/`), `?` one character.');

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');
const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+/, 'expected an IAM role or user ARN');

const StreamsSchema = z
  .strictObject({
    mode: z
      .enum(['on_demand', 'provisioned'])
      .default('on_demand')
      .describe('Kinesis capacity mode of both streams.'),
    raw_shards: z.int().min(1).max(500).default(2).describe('Shards of "raw" when provisioned.'),
    events_shards: z.int().min(1).max(500).default(2).describe('Shards of "events" when provisioned.'),
    retention_hours: z.int().min(24).max(8760).default(24).describe('How long records stay in the streams.'),
  })
  .describe('The two Kinesis streams ("raw" and "events"), KMS-encrypted with a customer key.');

const stage = (memory: number, timeout: number, reserved: number, bounds: string) =>
  z.strictObject({
    memory_mb: z.int().min(128).max(10240).default(memory).describe('Lambda memory.'),
    reserved_concurrency: z
      .int()
      .min(1)
      .max(3000)
      .nullable()
      .default(reserved)
      .describe(`Reserved concurrency: ${bounds}; null leaves the function unreserved.`),
    timeout_s: z.int().min(3).max(900).default(timeout).describe('Lambda timeout.'),
    batch_size: z.int().min(1).max(10000).default(100).describe('Records per invocation.'),
    max_batching_window_s: z.int().min(0).max(300).default(1).describe('Wait to fill a batch.'),
    parallelization_factor: z.int().min(1).max(10).default(2).describe('Concurrent batches per shard.'),
    retry_attempts: z
      .int()
      .min(-1)
      .max(10000)
      .default(-1)
      .describe(
        'Retries of a batch that failed or was reported not delivered (-1: until max_record_age_s); then it goes to the on-failure bucket.',
      ),
    max_record_age_s: z
      .int()
      .min(60)
      .max(604800)
      .optional()
      .describe(
        "Records older than this go to the on-failure bucket unprocessed. Default: the streams' retention less one hour (at most 7 days); must stay at least an hour below it.",
      ),
  });

const FunctionsSchema = z
  .strictObject({
    runtime: z
      .enum(['nodejs22.x', 'nodejs24.x'])
      .default('nodejs22.x')
      .describe('Lambda runtime (arm64); nodejs20.x is deprecated on Lambda and no longer offered.'),
    log_retention_days: z
      .union([
        z.literal(1),
        z.literal(3),
        z.literal(7),
        z.literal(14),
        z.literal(30),
        z.literal(90),
        z.literal(365),
      ])
      .default(30)
      .describe("Retention of the pipeline's own log groups."),
    on_failure: z
      .literal('s3', {
        error:
          "expected 's3': an SQS on-failure destination keeps only a pointer into the stream, and the records are gone once the stream's retention passes",
      })
      .default('s3')
      .describe(
        'Where an event source mapping puts a batch it gave up on: the dead-letter bucket under aws/lambda/, records included (replay with sluice dlq replay).',
      ),
    transform: stage(512, 60, 20, 'guaranteed to the transform and its ceiling')
      .extend({
        rules_file: z.string().optional().describe('Rules YAML bundled with the transform (repo path).'),
        secrets_arn: z.string().startsWith('arn:').optional().describe('Secret (JSON) of named HMAC keys.'),
        transaction_id_fields: z
          .array(z.string().min(1))
          .default([])
          .describe('Extra transaction id fields.'),
        events_compression: z
          .enum(['gzip', 'none'])
          .default('gzip')
          .describe(
            'Encoding of events-stream records (SLUICE_EVENTS_COMPRESSION): gzip, or none while a sink older than compression may still read the stream.',
          ),
      })
      .prefault({}),
    sink: stage(512, 120, 10, 'bounds the concurrent bulk writers, so the load on the cluster')
      .extend({
        retry_budget_ms: z.int().min(0).max(900000).optional().describe('Sink retry budget per batch.'),
      })
      .prefault({}),
  })
  .describe('The transform and sink Lambdas and their event source mappings.');

const SubscriptionSchema = z
  .strictObject({
    mode: z
      .enum(['filters', 'account_policy', 'none'])
      .default('filters')
      .describe('Per-group filters (+ auto-subscriber), one account-level policy, or nothing.'),
    log_groups: z
      .array(z.string().min(1).max(512))
      .default([])
      .describe('Log groups subscribed by name at deploy.'),
    include: z.array(glob).default([]).describe('Globs the auto-subscriber subscribes (new and existing).'),
    exclude: z
      .array(glob)
      .default([])
      .describe("Globs never subscribed; the pipeline's own log groups are always excluded."),
    filter_name: z.string().min(1).max(512).default('sluice').describe('Name of the subscription filter.'),
    filter_pattern: z.string().max(1024).default('').describe('CloudWatch Logs filter pattern (empty: all).'),
    subscribe_existing: z.boolean().default(true).describe('Subscribe existing matching groups at deploy.'),
    resubscribe_every_hours: z
      .int()
      .min(0)
      .max(168)
      .default(24)
      .describe(
        'Subscribe every matching group again on this schedule (catches groups missed or failed before); 0: never.',
      ),
    member_account_ids: z
      .array(accountId)
      .default([])
      .describe('Accounts allowed to send through the cross-account CloudWatch Logs destination.'),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'account_policy' && s.exclude.some((p) => /[*?]/.test(p))) {
      ctx.addIssue({
        code: 'custom',
        path: ['exclude'],
        message: 'an account policy excludes exact log group names only (no * or ?)',
      });
    }
  });

const VpcSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({
    mode: z.literal('create'),
    max_azs: z.int().min(2).max(3).default(3).describe('Availability zones of the new VPC.'),
    availability_zones: z
      .array(
        z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'expected an availability zone name like eu-west-1a'),
      )
      .min(2)
      .max(3)
      .optional()
      .describe(
        'Zone names to use; default: the first max_azs zones of the region (Fn::GetAZs, no account lookup at synth).',
      ),
  }),
  z.strictObject({
    mode: z.literal('existing'),
    vpc_id: z.string().regex(/^vpc-[0-9a-f]+$/, 'expected a VPC id'),
    availability_zones: z.array(z.string().min(1)).min(1),
    private_subnet_ids: z
      .array(z.string().regex(/^subnet-[0-9a-f]+$/, 'expected a subnet id'))
      .min(1)
      .describe('One private subnet per availability zone, in the order of availability_zones.'),
  }),
]);

/**
 * Why an OpenSearch Serverless collection is refused: the sink writes data streams with its own
 * document ids (that is how redelivered events are recognised as duplicates); time-series
 * collections refuse custom ids, search collections have no data streams, and neither takes the
 * shard/replica settings or the ISM policy the sink installs.
 */
const SERVERLESS_UNSUPPORTED =
  'OpenSearch Serverless (aoss) is not supported: the sink writes data streams with its own document ids for deduplication, which time-series collections refuse and search collections lack; use an OpenSearch Service domain';

const OpenSearchSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('domain').describe('Sluice creates and owns an OpenSearch Service domain.'),
    engine_version: z.enum(['2.17', '2.19']).default('2.19'),
    instance_type: z.string().optional().describe('Data node instance type (default: from the profile).'),
    instance_count: z.int().min(1).max(80).optional().describe('Data nodes (default: from the profile).'),
    dedicated_master_type: z
      .string()
      .optional()
      .describe('Dedicated master instance type (default: from the profile; production has three).'),
    dedicated_master_count: z
      .union([z.literal(3), z.literal(5)])
      .optional()
      .describe('Dedicated masters when a type is set (3, or 5 for large clusters).'),
    volume_gb: z.int().min(10).max(16384).optional().describe('gp3 EBS volume per node.'),
    zone_awareness: z.boolean().optional().describe('Spread nodes and replicas over availability zones.'),
    availability_zone_count: z
      .union([z.literal(2), z.literal(3)])
      .optional()
      .describe('Availability zones with zone awareness (default: from the profile).'),
    kms_key_arn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+/, 'expected a KMS key ARN')
      .optional()
      .describe(
        'Customer-managed key for encryption at rest (default: the AWS-managed aws/es key). Its policy must let OpenSearch Service use it (docs/deploy.md).',
      ),
    admin_role_arns: z
      .array(roleArn)
      .default([])
      .describe('Principals mapped to all_access (humans, CI) by the deploy-time role mapping.'),
    vpc: VpcSchema.prefault({ mode: 'none' }).describe('Place the domain (and the sink) in a VPC.'),
  }),
  z.strictObject({
    mode: z
      .literal('existing')
      .describe('An OpenSearch Service domain Sluice does not own; map the sink role yourself.'),
    endpoint: z
      .url({ protocol: /^https$/ })
      .refine((u) => !/\.aoss\.amazonaws\.com(:\d+)?(\/|$)/.test(u), SERVERLESS_UNSUPPORTED)
      .describe('https URL of the OpenSearch Service domain.'),
    domain_arn: z.string().superRefine((v, ctx) => {
      if (/^arn:aws[a-z-]*:aoss:/.test(v)) ctx.addIssue({ code: 'custom', message: SERVERLESS_UNSUPPORTED });
      else if (!/^arn:aws[a-z-]*:es:[a-z0-9-]+:\d{12}:domain\/[a-z][a-z0-9-]{2,27}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'expected arn:aws:es:REGION:ACCOUNT:domain/NAME' });
      }
    }),
  }),
]);

const BaseConfigSchema = z
  .strictObject({
    profile: z
      .enum(PROFILE_NAMES)
      .default('production')
      .describe(
        'Defaults for the domain, replicas, removal and termination protection: dev (one small node) or production (fault tolerant).',
      ),
    removal: z
      .enum(['retain', 'destroy'])
      .optional()
      .describe(
        'What deleting the stack does to what holds data (domain, dead letters, key); default: retain in production, destroy in dev.',
      ),
    termination_protection: z
      .boolean()
      .optional()
      .describe('CloudFormation termination protection; default: on in production.'),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}$/, 'expected lower-case letters, digits and -, 2-31 characters')
      .default('sluice')
      .describe('Prefix of resource names.'),
    metrics_namespace: z
      .string()
      .min(1)
      .max(255)
      .default('Sluice')
      .describe('CloudWatch namespace of EMF metrics.'),
    log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
    index_prefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .default('sluice-logs')
      .describe('OpenSearch index prefix.'),
    streams: StreamsSchema.prefault({}),
    functions: FunctionsSchema.prefault({}),
    indices: IndicesSchema.prefault({}),
    dead_letters: z
      .strictObject({
        store: z.enum(['s3', 'sqs']).default('s3').describe('Where the handlers write dead letters.'),
        retention_days: z.int().min(1).max(3650).default(30).describe('Days before dead letters expire.'),
      })
      .prefault({}),
    subscription: SubscriptionSchema.prefault({}),
    opensearch: OpenSearchSchema,
    monitoring: z
      .strictObject({
        alarm_email: z.email().optional().describe('Subscribed to the alarm topic when set.'),
        iterator_age_ms: z.int().min(1000).default(300000).describe('Alarm when a stream falls behind this.'),
        free_storage_mb: z
          .int()
          .min(1)
          .optional()
          .describe('Alarm at or below this free storage on a node (default: 25% of volume_gb).'),
        jvm_pressure_percent: z.int().min(50).max(99).default(85).describe('Alarm above this JVM pressure.'),
        cpu_percent: z
          .int()
          .min(10)
          .max(100)
          .default(80)
          .describe('Alarm when data node CPU stays at or above this for 45 minutes.'),
      })
      .prefault({}),
    deployment: z
      .strictObject({
        strategy: z
          .enum([
            'canary_10_percent_5_minutes',
            'canary_10_percent_15_minutes',
            'linear_10_percent_every_1_minute',
            'all_at_once',
          ])
          .default('canary_10_percent_5_minutes')
          .describe('CodeDeploy traffic shifting of the handler aliases; rolls back on alarm.'),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    const retention = c.streams.retention_hours * 3600;
    for (const stage of ['transform', 'sink'] as const) {
      const age = c.functions[stage].max_record_age_s;
      if (age !== undefined && age > retention - RECORD_AGE_MARGIN_S) {
        ctx.addIssue({
          code: 'custom',
          path: ['functions', stage, 'max_record_age_s'],
          message: `must be at most ${retention - RECORD_AGE_MARGIN_S} (an hour below streams.retention_hours = ${retention} s), so that Lambda still holds the records when it hands them to the on-failure bucket; got ${age}`,
        });
      }
    }
  })
  .describe('Sluice deployment configuration.');

/** The config as parsed, before the profile's defaults are filled in. */
export type RawInfraConfig = z.output<typeof BaseConfigSchema>;

/**
 * The whole deployment configuration (a YAML/JSON file, see `infra/config/example.yaml`): parsed,
 * then completed from its profile and checked for combinations that cannot deploy or run well.
 */
export const SluiceInfraConfigSchema = BaseConfigSchema.transform(resolveProfile);

/** Parsed, defaulted deployment configuration (the profile's defaults filled in). */
export type SluiceInfraConfig = z.output<typeof SluiceInfraConfigSchema>;

/** How far below the streams' retention a record's maximum age stays (Lambda must still read it). */
export const RECORD_AGE_MARGIN_S = 3600;
/** Lambda's upper bound of `MaximumRecordAgeInSeconds` (7 days). */
const MAX_RECORD_AGE_LIMIT_S = 604_800;

/**
 * The `MaximumRecordAgeInSeconds` of a stage's event source mapping: the configured value, or the
 * streams' retention less {@link RECORD_AGE_MARGIN_S} (capped at Lambda's 7 days), so that retries
 * last as long as the stream keeps the records and the batch still reaches the on-failure bucket.
 */
export function maxRecordAgeSeconds(
  config: Pick<SluiceInfraConfig, 'streams' | 'functions'>,
  stage: 'transform' | 'sink',
): number {
  return (
    config.functions[stage].max_record_age_s ??
    Math.min(config.streams.retention_hours * 3600 - RECORD_AGE_MARGIN_S, MAX_RECORD_AGE_LIMIT_S)
  );
}

/** Configuration as a user writes it (defaults optional). */
export type SluiceInfraConfigInput = z.input<typeof SluiceInfraConfigSchema>;
