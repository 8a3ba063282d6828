import { z } from 'zod';
import { RUNNER_ERROR_CODES, RunnerError } from './errors.js';

/**
 * Event source mapping settings, with the same names, ranges and defaults as a Lambda
 * event source mapping for Kinesis (snake_case, units in the names).
 */
export const MappingOptionsSchema = z
  .object({
    batch_size: z.number().int().min(1).max(10_000).default(100).describe('Most records per invocation.'),
    maximum_batching_window_ms: z
      .number()
      .int()
      .min(0)
      .max(300_000)
      .default(0)
      .describe('How long to gather records before invoking (0: invoke as soon as any arrive).'),
    starting_position: z
      .enum(['TRIM_HORIZON', 'LATEST'])
      .default('TRIM_HORIZON')
      .describe('Where to start a shard that has no checkpoint (child shards always start at TRIM_HORIZON).'),
    bisect_batch_on_error: z
      .boolean()
      .default(false)
      .describe('Split a failing batch in two and retry the halves separately.'),
    maximum_retry_attempts: z
      .number()
      .int()
      .min(-1)
      .max(10_000)
      .default(-1)
      .describe(
        'Retries of a failing batch before it goes to the on-failure destination (-1: until it expires).',
      ),
    maximum_record_age_s: z
      .number()
      .int()
      .refine((v) => v === -1 || (v >= 60 && v <= 604_800), { message: '-1 or 60..604800' })
      .default(-1)
      .describe('Records older than this go to the on-failure destination unprocessed (-1: never).'),
    report_batch_item_failures: z
      .boolean()
      .default(true)
      .describe('Honour `batchItemFailures` in the handler response (checkpoint before the lowest failure).'),
    poll_interval_ms: z
      .number()
      .int()
      .min(10)
      .max(60_000)
      .default(250)
      .describe(
        'Wait between GetRecords calls on a shard that returned nothing (Lambda polls once a second; 250 ms keeps sluice run under 3 s to searchable, docs/lambda.md).',
      ),
    retry_base_delay_ms: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(200)
      .describe('First wait before retrying a failed batch; doubles per retry (with jitter).'),
    retry_max_delay_ms: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(10_000)
      .describe('Longest wait between retries of a failed batch.'),
    shard_discovery_interval_ms: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(10_000)
      .describe('How often ListShards runs to find new (child) shards.'),
  })
  .strict();

/** Validated mapping options. */
export type MappingOptions = z.output<typeof MappingOptionsSchema>;
/** Mapping options as a user writes them (defaults applied by {@link parseMappingOptions}). */
export type MappingOptionsInput = z.input<typeof MappingOptionsSchema>;

/** Validates mapping options; throws {@link RunnerError} listing every problem. */
export function parseMappingOptions(input: unknown): MappingOptions {
  const result = MappingOptionsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
  throw new RunnerError(RUNNER_ERROR_CODES.options, `invalid runner options:\n  - ${lines.join('\n  - ')}`);
}
