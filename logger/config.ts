import { z } from 'zod';
import { describeValue } from '../core/errors.js';
import { LOG_LEVELS } from '../transform/schema.js';
import { LoggerConfigError, type LoggerConfigProblem } from './errors.js';

/** The levels a logger can be set to: the schema's levels plus `silent` (nothing is written). */
export const LOGGER_LEVELS = [...LOG_LEVELS, 'silent'] as const;
/** One of {@link LOGGER_LEVELS}. */
export type LoggerLevel = (typeof LOGGER_LEVELS)[number];

/** Keys that can never be bound (they would reach the object prototype when read back). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Options of `createLogger` (validated strictly: unknown keys are errors). */
export const LoggerOptionsSchema = z
  .object({
    service: z
      .string()
      .min(1)
      .max(256)
      .describe('The component name, written as `service.name` on every line (e.g. `orders-api`).'),
    level: z
      .enum(LOGGER_LEVELS)
      .optional()
      .describe(
        'Lowest level written. `AWS_LAMBDA_LOG_LEVEL` (Lambda advanced logging controls) wins over it; ' +
          'when neither is set, `LOG_LEVEL` from the environment, else `info`.',
      ),
    bindings: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Static fields bound to every line (they land under `attributes` in the pipeline).'),
    redact: z
      .object({
        keys: z
          .array(z.string().min(1).max(128))
          .max(200)
          .optional()
          .describe(
            "Extra key-name globs to redact at source (the pipeline rules' `keys` syntax: case, `_`, `-`, `.` " +
              'ignored, `*` wildcard), in addition to the secret keys shared with the default pack.',
          ),
        defaults: z
          .boolean()
          .optional()
          .describe('Set to `false` to turn off the shared secret keys (explicitly; default on).'),
        depth: z
          .number()
          .int()
          .min(0)
          .max(32)
          .optional()
          .describe('How many object levels below the line keys are matched (default 8).'),
        paths: z
          .array(z.string().min(1).max(256))
          .max(100)
          .optional()
          .describe(
            "Exact field paths in pino's `redact` syntax (e.g. `body.card.number`) for values whose key " +
              'name is not a secret one. Wildcard paths (`*.x`) are slow in pino: prefer `keys` for those.',
          ),
      })
      .strict()
      .optional()
      .describe('Redaction at source, before a line leaves the process.'),
  })
  .strict();

/** Options of `createLogger`. */
export type LoggerOptions = z.input<typeof LoggerOptionsSchema>;

/** Validated options. */
export type ResolvedLoggerOptions = z.output<typeof LoggerOptionsSchema>;

/** Validates `createLogger` options; throws {@link LoggerConfigError} listing every problem. */
export function parseLoggerOptions(input: unknown): ResolvedLoggerOptions {
  const parsed = LoggerOptionsSchema.safeParse(input);
  const problems: LoggerConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        path: issue.path.join('.') || '(options)',
        received: describeValue(valueAt(input, issue.path)),
        expected: issue.message,
      });
    }
    throw new LoggerConfigError(problems);
  }
  // Checked on the input: parsing would quietly drop a `__proto__` key.
  const rawBindings = (input as { bindings?: unknown }).bindings;
  for (const key of rawBindings !== null && typeof rawBindings === 'object' ? Object.keys(rawBindings) : []) {
    if (FORBIDDEN_KEYS.has(key)) {
      problems.push({
        path: `bindings.${key}`,
        received: 'a reserved key',
        expected: 'an ordinary field name',
      });
    }
  }
  if (problems.length > 0) throw new LoggerConfigError(problems);
  return parsed.data;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
