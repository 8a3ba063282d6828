import { z } from 'zod';
import { DropRuleSchema } from './drop/config.js';
import { EnrichRuleSchema } from './enrich/config.js';
import { RedactRuleSchema } from './redact/config.js';
import { RouteRuleSchema } from './route/config.js';
import { SampleRuleSchema } from './sample/config.js';

/** The rule kinds, in the order the reference documents them. */
export const RULE_KINDS = ['redact', 'drop', 'sample', 'enrich', 'route'] as const;
/** One of {@link RULE_KINDS}. */
export type RuleKind = (typeof RULE_KINDS)[number];

/** One rule of any kind, chosen by its `kind`. */
export const RuleSchema = z
  .discriminatedUnion('kind', [
    RedactRuleSchema,
    DropRuleSchema,
    SampleRuleSchema,
    EnrichRuleSchema,
    RouteRuleSchema,
  ])
  .describe('One rule; `kind` chooses which.');

/**
 * A rules file. Order of execution (documented in `docs/filters.md`): drop, sample, enrich and
 * route rules run in file order; redaction runs last, over the final event, so that nothing a
 * rule produced escapes it (author redact rules in file order first, then the default pack).
 */
export const RuleFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Optional link to `docs/rules.schema.json`, for editors.'),
    version: z.literal(1).default(1).describe('Rules file format version (1).'),
    default_pack: z
      .boolean()
      .default(true)
      .describe('The built-in secret detectors (on unless set to `false`). See "Default pack".'),
    rules: z.array(RuleSchema).default([]).describe('The rules. Names must be unique.'),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.rules.forEach((r, i) => {
      const first = seen.get(r.name);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'name'],
          message: `a unique rule name ('${r.name}' is also the name of rule #${first + 1})`,
        });
      else seen.set(r.name, i);
    });
  })
  .describe('A Sluice rules file (YAML or JSON).');

/** A validated rules file. */
export type RuleFile = z.output<typeof RuleFileSchema>;
/** A rules file as written. */
export type RuleFileInput = z.input<typeof RuleFileSchema>;
/** One validated rule. */
export type Rule = z.output<typeof RuleSchema>;
