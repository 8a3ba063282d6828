import { z } from 'zod';
import { EVENT_PATH_EXPECTED, eventPathProblem } from '../event-paths.js';
import { pathProblem } from '../path.js';
import { regexProblem } from '../regex.js';

/** A field path without wildcards, e.g. `attributes.http.path`. */
export const FieldPathSchema = z
  .string()
  .superRefine((path, ctx) => {
    const problem = pathProblem(path, { wildcards: false });
    if (problem)
      ctx.addIssue({ code: 'custom', message: `a dotted field path without wildcards, not ${problem}` });
    const unknown = problem ? undefined : eventPathProblem(path);
    if (unknown) ctx.addIssue({ code: 'custom', message: `${EVENT_PATH_EXPECTED}, not ${unknown}` });
  })
  .describe(
    'Dotted path into the event, e.g. `attributes.http.path` or `log.level`: a field of the event schema, or any path under `attributes.`. No wildcards. A path no event can have (`servce.name`) is an error that names the field meant.',
  );

/** An author regex (RE2 syntax, linear time; rejected when ReDoS-prone). */
export const RegexSchema = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const problem = regexProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: `a safe RE2 regular expression, not ${problem}` });
  })
  .describe(
    'A regular expression in RE2 syntax (runs in linear time; no backreferences or lookaround). Prefix `(?i)` for case-insensitive. Patterns that are catastrophic on a backtracking engine are rejected.',
  );

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const LEAF_OPS = ['equals', 'in', 'matches', 'exists', 'gt', 'gte', 'lt', 'lte'] as const;
const BOOL_OPS = ['and', 'or', 'not'] as const;

/** A condition on an event (see `docs/filters.md`): one operator per object. */
export interface Condition {
  field?: string | undefined;
  equals?: string | number | boolean | null | undefined;
  in?: (string | number | boolean | null)[] | undefined;
  matches?: string | undefined;
  exists?: boolean | undefined;
  gt?: number | undefined;
  gte?: number | undefined;
  lt?: number | undefined;
  lte?: number | undefined;
  and?: Condition[] | undefined;
  or?: Condition[] | undefined;
  not?: Condition | undefined;
}

/**
 * A condition: either `field` plus exactly one comparison (`equals`, `in`, `matches`,
 * `exists`, `gt`, `gte`, `lt`, `lte`), or exactly one of `and`, `or`, `not`.
 */
export const ConditionSchema: z.ZodType<Condition> = z
  .strictObject({
    field: FieldPathSchema.optional().describe(
      'The field the comparison reads (required with a comparison).',
    ),
    equals: ScalarSchema.optional().describe('True when the field equals this value (same type).'),
    in: z.array(ScalarSchema).min(1).optional().describe('True when the field equals one of these values.'),
    matches: RegexSchema.optional().describe(
      'True when the field is a string this regex matches (anywhere).',
    ),
    exists: z
      .boolean()
      .optional()
      .describe('`true`: the field is present (not null); `false`: it is absent.'),
    gt: z.number().optional().describe('True when the field is a number greater than this.'),
    gte: z.number().optional().describe('True when the field is a number greater than or equal to this.'),
    lt: z.number().optional().describe('True when the field is a number less than this.'),
    lte: z.number().optional().describe('True when the field is a number less than or equal to this.'),
    get and() {
      return z.array(ConditionSchema).min(1).optional().describe('True when every condition is true.');
    },
    get or() {
      return z.array(ConditionSchema).min(1).optional().describe('True when any condition is true.');
    },
    get not() {
      return ConditionSchema.optional().describe('True when the condition is false.');
    },
  })
  .superRefine((c, ctx) => {
    const leaf = LEAF_OPS.filter((op) => c[op] !== undefined);
    const bool = BOOL_OPS.filter((op) => c[op] !== undefined);
    const ops = [...leaf, ...bool];
    if (ops.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          ops.length === 0
            ? `exactly one operator (${[...LEAF_OPS, ...BOOL_OPS].join(', ')}), found none`
            : `exactly one operator per condition, found ${ops.join(' and ')}; combine them with and/or`,
      });
      return;
    }
    if (leaf.length === 1 && c.field === undefined)
      ctx.addIssue({ code: 'custom', path: ['field'], message: `a field for the '${leaf[0]}' comparison` });
    if (bool.length === 1 && c.field !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['field'],
        message: `no field beside '${bool[0]}' (put it in the inner conditions)`,
      });
  })
  .describe(
    'A condition: `field` with one of equals / in / matches / exists / gt / gte / lt / lte, or one of and / or / not.',
  );
