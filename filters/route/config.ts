import { z } from 'zod';
import { ConditionSchema } from '../condition/config.js';
import { DescriptionSchema, RuleNameSchema } from '../names.js';

/** A `route` rule: sets `event.route` (destination index / stream suffix) when its condition holds. */
export const RouteRuleSchema = z
  .strictObject({
    name: RuleNameSchema,
    kind: z.literal('route').describe('Chooses the destination of matching events.'),
    description: DescriptionSchema,
    when: ConditionSchema.optional().describe(
      'The condition; without it every event not yet routed matches.',
    ),
    route: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
        message: 'a destination of 1–64 lowercase letters, digits, - or _ (it becomes part of an index name)',
      })
      .describe('The destination written to `event.route` (index / data stream suffix, lowercase).'),
  })
  .describe(
    'Route: sets `event.route`. The first matching route rule wins; later ones leave the route as it is.',
  );

/** A validated `route` rule. */
export type RouteRule = z.output<typeof RouteRuleSchema>;
