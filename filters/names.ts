import { z } from 'zod';

/** Rule names written by authors: lowercase letters, digits, `-` and `_` (names with `/` are built in). */
export const RuleNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
    message: 'a name of 1–64 lowercase letters, digits, - or _ (starting with a letter or digit)',
  })
  .describe(
    'Unique name of the rule: 1–64 lowercase letters, digits, `-`, `_`. Drop and sample reasons, counters and `redaction.rules` use it.',
  );

/** Optional free text for humans. */
export const DescriptionSchema = z.string().optional().describe('Free text: why the rule exists.');
