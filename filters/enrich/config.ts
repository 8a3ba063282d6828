import { z } from 'zod';
import { ConditionSchema, RegexSchema } from '../condition/config.js';
import { DescriptionSchema, RuleNameSchema } from '../names.js';
import { pathProblem } from '../path.js';
import { compileAuthorRegex, regexProblem } from '../regex.js';

/** Top-level string fields an enrich rule may write besides `attributes.*`. */
export const ENRICH_STRING_TARGETS = [
  'service.name',
  'transaction.id',
  'trace.id',
  'cloud.region',
  'cloud.account.id',
  'faas.name',
] as const;

function pathCheck(kind: 'target' | 'source') {
  return (path: string, ctx: z.core.$RefinementCtx<string>) => {
    const problem = pathProblem(path, { wildcards: false });
    const allowed =
      (path.startsWith('attributes.') && path.length > 'attributes.'.length) ||
      (kind === 'target' && (ENRICH_STRING_TARGETS as readonly string[]).includes(path));
    if (problem || !allowed)
      ctx.addIssue({
        code: 'custom',
        message:
          kind === 'target'
            ? `a path under attributes. or one of ${ENRICH_STRING_TARGETS.join(', ')}${problem ? `, not ${problem}` : ''}`
            : `a path under attributes.${problem ? `, not ${problem}` : ''}`,
      });
  };
}

const TargetPathSchema = z
  .string()
  .superRefine(pathCheck('target'))
  .describe(
    `Field to write: under \`attributes.\`, or one of ${ENRICH_STRING_TARGETS.join(', ')} (strings).`,
  );
const SourcePathSchema = z
  .string()
  .superRefine(pathCheck('source'))
  .describe('Field to move, under `attributes.`.');

/** Placeholders `{name}` in a template. */
function templateNames(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? '');
}

/** Placeholders every log-group template may use besides the pattern's named captures. */
const BUILT_IN_PLACEHOLDERS = ['log_group', 'log_stream'] as const;

/** An `enrich` rule: static fields, fields from the log group name, renames. */
export const EnrichRuleSchema = z
  .strictObject({
    name: RuleNameSchema,
    kind: z.literal('enrich').describe('Adds or moves fields.'),
    description: DescriptionSchema,
    when: ConditionSchema.optional().describe('Only events matching this are enriched.'),
    rename: z
      .record(SourcePathSchema, TargetPathSchema)
      .optional()
      .describe('Moves `from: to` (applied first); a missing source is left alone.'),
    set: z
      .record(TargetPathSchema, z.json())
      .optional()
      .describe('Static fields `path: value` (applied second).'),
    from_log_group: z
      .strictObject({
        pattern: RegexSchema.describe(
          'RE2 regex with named captures applied to `aws.cloudwatch.log_group`, e.g. `^/aws/lambda/(?P<app>[a-z]+)-(?P<stage>[a-z]+)$`.',
        ),
        set: z
          .record(TargetPathSchema, z.string())
          .describe(
            '`path: template`; `{name}` is a named capture, `{log_group}` / `{log_stream}` the origin.',
          ),
      })
      .optional()
      .describe(
        'Fields derived from the log group name (applied third; nothing is set when it does not match).',
      ),
  })
  .superRefine((r, ctx) => {
    if (!r.rename && !r.set && !r.from_log_group)
      ctx.addIssue({ code: 'custom', message: 'at least one of rename, set or from_log_group' });
    for (const [path, value] of Object.entries(r.set ?? {}))
      if ((ENRICH_STRING_TARGETS as readonly string[]).includes(path) && typeof value !== 'string')
        ctx.addIssue({ code: 'custom', path: ['set', path], message: `a string for ${path}` });
    const lg = r.from_log_group;
    if (lg && regexProblem(lg.pattern) === undefined) {
      const known = new Set<string>([...compileAuthorRegex(lg.pattern).groupNames, ...BUILT_IN_PLACEHOLDERS]);
      for (const [path, template] of Object.entries(lg.set))
        for (const name of templateNames(template))
          if (!known.has(name))
            ctx.addIssue({
              code: 'custom',
              path: ['from_log_group', 'set', path],
              message: `placeholders naming a capture of the pattern or ${BUILT_IN_PLACEHOLDERS.join('/')} (one of: ${[...known].join(', ')}), not {${name}}`,
            });
    }
  })
  .describe('Enrich: rename/move fields, set static fields, derive fields from the log group name.');

/** A validated `enrich` rule. */
export type EnrichRule = z.output<typeof EnrichRuleSchema>;
