import { z } from 'zod';
import { OPENSEARCH_ERROR_CODES, OpenSearchSinkError } from './errors.js';

const NAME = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/**
 * Tunables of the OpenSearch sink (snake_case, units in the names). Strict: unknown keys are
 * errors. The client, dead-letter store and callbacks are passed beside it (see `sink.ts`).
 */
/** Default of `max_attribute_term_bytes` (what `encodeEvent` bounds for unless told otherwise). */
export const DEFAULT_MAX_ATTRIBUTE_TERM_BYTES = 8_192;

export const OpenSearchSinkConfigSchema = z
  .object({
    index_prefix: z
      .string()
      .regex(NAME)
      .default('sluice-logs')
      .describe(
        'Prefix of every data stream; streams are `<prefix>-<service or route>`, all matching `<prefix>-*`.',
      ),
    stream_by: z
      .enum(['service', 'route'])
      .default('service')
      .describe(
        'One data stream per `service.name`, or per `route` (events without a route go to `<prefix>-default`).',
      ),
    retry_budget_ms: z
      .number()
      .int()
      .min(0)
      .default(30_000)
      .describe('How long one write may keep retrying 429/5xx/connection failures before handing them back.'),
    base_delay_ms: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe('First backoff ceiling (full jitter, doubling).'),
    max_delay_ms: z.number().int().min(1).default(5_000).describe('Largest backoff between two rounds.'),
    max_bulk_bytes: z
      .number()
      .int()
      .min(1024)
      .default(5 * 1024 * 1024)
      .describe('A bulk request body stays under this many bytes (413 still splits further).'),
    max_bulk_docs: z
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('At most this many documents per bulk request (the byte limit usually decides first).'),
    concurrency: z.number().int().min(1).max(16).default(2).describe('Bulk requests in flight at once.'),
    max_heals_per_doc: z
      .number()
      .int()
      .min(0)
      .default(8)
      .describe(
        'How many offending fields one document may have moved to `quarantine` before it is dead-lettered.',
      ),
    max_attribute_term_bytes: z
      .number()
      .int()
      .min(256)
      .max(32_000)
      .default(DEFAULT_MAX_ATTRIBUTE_TERM_BYTES)
      .describe(
        'An `attributes` value is indexed as one term with its path (`<path>=<value>`); a longer one is cut to this many UTF-8 bytes in the index (its beginning stays searchable) and kept whole under `quarantine` (Lucene refuses terms over 32,766 bytes; doc values take a few more).',
      ),
    dedup_across_rollover: z
      .boolean()
      .default(true)
      .describe(
        "Before a write, look the batch's `_id`s up in the earlier backing indices of streams that rolled over, so a re-delivered event is a `duplicate` there too (needs read access to `_data_stream`, `_mget` and `_search`).",
      ),
    shards: z.number().int().min(1).default(1).describe('Primary shards of each backing index.'),
    replicas: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe('Replicas of each backing index (0 on a one-node cluster).'),
    refresh_interval: z.string().default('5s').describe('`index.refresh_interval` of the backing indices.'),
    rollover_min_size: z
      .string()
      .default('30gb')
      .describe('ISM: roll over when the write index reaches this size…'),
    rollover_min_age: z.string().default('1d').describe('ISM: …or this age.'),
    retention_days: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('ISM: delete a backing index this many days after it was created.'),
    warm_after_days: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'ISM warm phase: at this age a backing index becomes read-only and is force-merged to one segment.',
      ),
    cold_after_days: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'ISM cold phase: at this age a backing index gets the lowest recovery priority (and `cold_replicas`).',
      ),
    cold_replicas: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Replicas of a backing index in the cold phase (default: unchanged).'),
    setup_on_first_write: z
      .boolean()
      .default(true)
      .describe('Install templates and the ISM policy (idempotently) before the first write.'),
  })
  .strict();

/**
 * The index settings and lifecycle keys alone (what a deployment decides for the sink's setup):
 * the same object is applied at deploy and handed to the sink, so both install the same policy.
 */
export const IndexLifecycleSchema = OpenSearchSinkConfigSchema.pick({
  shards: true,
  replicas: true,
  rollover_min_size: true,
  rollover_min_age: true,
  retention_days: true,
  warm_after_days: true,
  cold_after_days: true,
  cold_replicas: true,
}).partial();
/** Index settings and lifecycle as given (unset keys keep the sink's defaults). */
export type IndexLifecycle = z.output<typeof IndexLifecycleSchema>;

/** Parsed sink config (defaults filled in). */
export type OpenSearchSinkConfig = z.infer<typeof OpenSearchSinkConfigSchema>;
/** The sink config as a user writes it. */
export type OpenSearchSinkConfigInput = z.input<typeof OpenSearchSinkConfigSchema>;

/** Validates a sink config, listing every problem with its path. */
export function parseSinkConfig(input: unknown = {}): OpenSearchSinkConfig {
  const res = OpenSearchSinkConfigSchema.safeParse(input);
  if (res.success) return res.data;
  const problems = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new OpenSearchSinkError(
    OPENSEARCH_ERROR_CODES.config,
    `invalid OpenSearch sink config: ${problems.join('; ')}`,
  );
}
