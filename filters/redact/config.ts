import { z } from 'zod';
import { ConditionSchema, RegexSchema } from '../condition/config.js';
import { EVENT_PATH_EXPECTED, eventPathProblem } from '../event-paths.js';
import { DescriptionSchema, RuleNameSchema } from '../names.js';
import { FORBIDDEN_SEGMENTS, pathProblem } from '../path.js';
import { DETECTOR_IDS } from './detectors.js';

/** The roots redaction can see; every other field of a `LogEvent` is owned by the pipeline. */
export const REDACT_ROOTS = ['message', 'error', 'attributes'] as const;

/** What a redact rule does to what it matched. */
export const REDACT_ACTIONS = ['mask', 'partial', 'hash', 'remove'] as const;

const FieldPatternSchema = z
  .string()
  .superRefine((path, ctx) => {
    const problem = pathProblem(path, { wildcards: true });
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `a dotted field pattern, not ${problem}` });
      return;
    }
    const root = path.split('.')[0] ?? '';
    if (root !== '**' && !(REDACT_ROOTS as readonly string[]).includes(root)) {
      ctx.addIssue({
        code: 'custom',
        message: `a pattern starting with ${REDACT_ROOTS.join(', ')} or ** (the other fields belong to the pipeline), not '${root}'`,
      });
      return;
    }
    // A pattern naming no field an event can have (`error.stack`) would silently never redact.
    const unknown = eventPathProblem(path);
    if (unknown) ctx.addIssue({ code: 'custom', message: `${EVENT_PATH_EXPECTED}, not ${unknown}` });
  })
  .describe(
    'Field pattern: dotted path starting at `message`, `error` or `attributes` (or `**`); `*` matches one segment (object key or array index), `**` any number of segments. E.g. `attributes.user.*`, `**.password`. The part before the first wildcard must be a field an event can have (`error.stack` is an error: the schema says `error.stack_trace`).',
  );

const KeyPatternSchema = z
  .string()
  .min(1)
  .superRefine((p, ctx) => {
    if (FORBIDDEN_SEGMENTS.has(p))
      ctx.addIssue({ code: 'custom', message: `a key name pattern, not '${p}'` });
  })
  .describe(
    'Key-name pattern matched against every object key under `error` and `attributes`, at any depth: case-insensitive, ignoring `_`, `-`, `.` and spaces (so `*apikey*` matches `api_key`, `X-Api-Key`, `apiKey`); `*` matches any characters.',
  );

/** A `redact` rule (see `docs/filters.md`). */
export const RedactRuleSchema = z
  .strictObject({
    name: RuleNameSchema,
    kind: z.literal('redact').describe('Redacts secrets and personal data.'),
    description: DescriptionSchema,
    when: ConditionSchema.optional().describe(
      'Only events matching this are redacted by this rule (checked on the event as the drop, sample, enrich and route rules left it, before any redaction); on the others the later rules and the default pack still apply. Without it, every event.',
    ),
    fields: z.array(FieldPatternSchema).optional().describe('Field patterns whose whole value is redacted.'),
    keys: z
      .array(KeyPatternSchema)
      .optional()
      .describe('Key-name patterns: the value under a matching key is redacted wherever it appears.'),
    detectors: z
      .array(z.enum(DETECTOR_IDS))
      .optional()
      .describe(
        `Built-in value detectors applied to every string under message, error and attributes; only the matched text is redacted. One of: ${DETECTOR_IDS.join(', ')}.`,
      ),
    patterns: z
      .array(RegexSchema)
      .optional()
      .describe('Author regexes (RE2) applied to every string like the detectors; each match is redacted.'),
    action: z
      .enum(REDACT_ACTIONS)
      .default('mask')
      .describe(
        '`mask`: replace with `mask_text`; `partial`: keep the last `keep_last` characters, `*` for the rest; `hash`: HMAC-SHA256 with the key named by `hash_key` (same value → same token, so transactions stay correlatable); `remove`: delete the field, or cut the matched text.',
      ),
    mask_text: z.string().max(100).optional().describe('Replacement text for `mask` (default `[REDACTED]`).'),
    keep_last: z
      .int()
      .min(1)
      .max(16)
      .optional()
      .describe(
        'For `partial`: how many trailing characters to keep (default 4). Values of at most twice that length are masked entirely.',
      ),
    hash_key: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, {
        message: 'the name of a secret (letters, digits, _), never its value',
      })
      .optional()
      .describe(
        'For `hash`: the NAME of the HMAC key (e.g. `REDACT_KEY`). Its value is never in the rules file: the runtime passes it in (environment / Secrets Manager); compiling fails when it is missing.',
      ),
  })
  .superRefine((r, ctx) => {
    if (!r.fields?.length && !r.keys?.length && !r.detectors?.length && !r.patterns?.length)
      ctx.addIssue({ code: 'custom', message: 'at least one of fields, keys, detectors or patterns' });
    if (r.action === 'hash' && r.hash_key === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['hash_key'],
        message: 'a hash_key (the name of a secret) for action hash',
      });
    if (r.action !== 'hash' && r.hash_key !== undefined)
      ctx.addIssue({ code: 'custom', path: ['hash_key'], message: `no hash_key with action ${r.action}` });
    if (r.action !== 'partial' && r.keep_last !== undefined)
      ctx.addIssue({ code: 'custom', path: ['keep_last'], message: `no keep_last with action ${r.action}` });
    if (r.action !== 'mask' && r.mask_text !== undefined)
      ctx.addIssue({ code: 'custom', path: ['mask_text'], message: `no mask_text with action ${r.action}` });
  })
  .describe(
    'Redact: fields, key names, built-in detectors and author regexes; mask, partial, hash or remove.',
  );

/** A validated `redact` rule. */
export type RedactRule = z.output<typeof RedactRuleSchema>;
/** A `redact` rule as written (before defaults). */
export type RedactRuleInput = z.input<typeof RedactRuleSchema>;
