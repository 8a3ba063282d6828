import { z } from 'zod';
import { ConditionSchema, FieldPathSchema } from '../condition/config.js';
import { DescriptionSchema, RuleNameSchema } from '../names.js';

/** A `sample` rule: keeps a deterministic fraction of transactions. */
export const SampleRuleSchema = z
  .strictObject({
    name: RuleNameSchema,
    kind: z
      .literal('sample')
      .describe('Keeps a deterministic fraction of events, whole transactions at a time.'),
    description: DescriptionSchema,
    keep_ratio: z
      .number()
      .min(0)
      .max(1)
      .describe('Fraction of keys kept, 0–1 (e.g. 0.1 keeps one transaction in ten).'),
    key: FieldPathSchema.default('transaction.id').describe(
      'The field the decision hashes (default `transaction.id`); events without it fall back to `event.id`. The same key gives the same decision in every Lambda.',
    ),
    when: ConditionSchema.optional().describe('Only events matching this are sampled; the others pass.'),
  })
  .describe('Sample: deterministic by key; events at warn, error and fatal are always kept.');

/** A validated `sample` rule. */
export type SampleRule = z.output<typeof SampleRuleSchema>;
