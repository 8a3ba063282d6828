import { z } from 'zod';
import { ConditionSchema } from '../condition/config.js';
import { DescriptionSchema, RuleNameSchema } from '../names.js';

/** A `drop` rule: drops the events its condition matches (counted under the rule's name). */
export const DropRuleSchema = z
  .strictObject({
    name: RuleNameSchema,
    kind: z.literal('drop').describe('Drops the events that match `drop_when`.'),
    description: DescriptionSchema,
    drop_when: ConditionSchema.describe('The condition under which the event is dropped.'),
  })
  .describe('Drop: events matching `drop_when` are dropped, with the rule name as the reason.');

/** A validated `drop` rule. */
export type DropRule = z.output<typeof DropRuleSchema>;
