import { z } from 'zod';
import { SUBSCRIBE_ERROR_CODES, SubscribeError } from './errors.js';
import { validatePattern } from './patterns.js';

const glob = z
  .string()
  .superRefine((value, ctx) => {
    const problem = validatePattern(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Log group glob: `*` matches any run of characters (including `/`), `?` one character.');

/** Configuration of the auto-subscriber (built by the handler from its environment). */
export const SubscriberConfigSchema = z
  .strictObject({
    destination_arn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:(kinesis|logs|lambda|firehose):/,
        'expected a Kinesis, Logs, Lambda or Firehose ARN',
      )
      .describe(
        'Where the subscription filter sends events (the "raw" Kinesis stream or a Logs destination).',
      ),
    role_arn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\//, 'expected an IAM role ARN')
      .optional()
      .describe('Role CloudWatch Logs assumes to write to the destination (required for Kinesis).'),
    filter_name: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[^:*]+$/, 'expected no ":" or "*"')
      .default('sluice')
      .describe('Name of the subscription filter Sluice owns on each log group.'),
    filter_pattern: z
      .string()
      .max(1024)
      .default('')
      .describe('CloudWatch Logs filter pattern; empty forwards every event.'),
    include: z.array(glob).min(1).max(100).describe('Globs of log groups to subscribe.'),
    exclude: z
      .array(glob)
      .max(100)
      .default([])
      .describe("Globs never subscribed; wins over include (always add the pipeline's own log groups)."),
  })
  .superRefine((c, ctx) => {
    if (c.destination_arn.includes(':kinesis:') && c.role_arn === undefined) {
      ctx.addIssue({ code: 'custom', path: ['role_arn'], message: 'a Kinesis destination needs role_arn' });
    }
  });

/** Parsed auto-subscriber configuration. */
export type SubscriberConfig = z.infer<typeof SubscriberConfigSchema>;

/** Validates a config object; throws {@link SubscribeError} listing every problem with its path. */
export function parseSubscriberConfig(input: unknown): SubscriberConfig {
  const result = SubscriberConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({
    path: i.path.join('.') || '(root)',
    message: i.message,
  }));
  throw new SubscribeError(
    SUBSCRIBE_ERROR_CODES.configInvalid,
    `invalid auto-subscriber config: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    problems,
  );
}

const splitList = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * Builds the config from the handler's environment (`SLUICE_DESTINATION_ARN`,
 * `SLUICE_SUBSCRIPTION_ROLE_ARN`, `SLUICE_INCLUDE_PATTERNS`, `SLUICE_EXCLUDE_PATTERNS` — comma
 * lists —, `SLUICE_FILTER_NAME`, `SLUICE_FILTER_PATTERN`). Throws {@link SubscribeError}.
 */
export function subscriberConfigFromEnv(env: Readonly<Record<string, string | undefined>>): SubscriberConfig {
  return parseSubscriberConfig({
    destination_arn: env['SLUICE_DESTINATION_ARN'],
    role_arn: env['SLUICE_SUBSCRIPTION_ROLE_ARN'] || undefined,
    filter_name: env['SLUICE_FILTER_NAME'] || undefined,
    filter_pattern: env['SLUICE_FILTER_PATTERN'],
    include: splitList(env['SLUICE_INCLUDE_PATTERNS']),
    exclude: splitList(env['SLUICE_EXCLUDE_PATTERNS']),
  });
}
