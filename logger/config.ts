import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { describeValue } from '../core/errors.js';
import { LoggerConfigError, type LoggerConfigProblem } from './errors.js';

/**
 * The levels a logger can be set to: the event schema's `LOG_LEVELS` (kept equal by a test; not
 * imported, so components do not load the schema) plus `silent` (nothing is written).
 */
export const LOGGER_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** One of {@link LOGGER_LEVELS}. */
export type LoggerLevel = (typeof LOGGER_LEVELS)[number];

// zod/mini ships no messages; the English ones (what full zod uses) say what was expected.
z.config(en());

/** Keys that can never be bound (they would reach the object prototype when read back). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Options of `createLogger` (validated strictly: unknown keys are errors). Written with
 * `zod/mini` (14 KB instead of zod's ~450 KB): the logger ships inside every component, and its
 * import time is part of each cold start.
 */
export const LoggerOptionsSchema = z.strictObject({
  service: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(256),
      z.describe('The component name, written as `service.name` on every line (e.g. `orders-api`).'),
    ),
  level: z.optional(
    z
      .enum(LOGGER_LEVELS)
      .check(
        z.describe(
          'Lowest level written. `AWS_LAMBDA_LOG_LEVEL` (Lambda advanced logging controls) wins over it; ' +
            'when neither is set, `LOG_LEVEL` from the environment, else `info`.',
        ),
      ),
  ),
  bindings: z.optional(
    z
      .record(z.string(), z.unknown())
      .check(z.describe('Static fields bound to every line (they land under `attributes` in the pipeline).')),
  ),
  redact: z.optional(
    z
      .strictObject({
        keys: z.optional(
          z
            .array(z.string().check(z.minLength(1), z.maxLength(128)))
            .check(
              z.maxLength(200),
              z.describe(
                "Extra key-name globs to redact at source (the pipeline rules' `keys` syntax: case, `_`, `-`, " +
                  '`.` ignored, `*` wildcard), in addition to the secret keys shared with the default pack.',
              ),
            ),
        ),
        defaults: z.optional(
          z
            .boolean()
            .check(z.describe('Set to `false` to turn off the shared secret keys (explicitly; default on).')),
        ),
        depth: z.optional(
          z
            .int()
            .check(
              z.minimum(0),
              z.maximum(32),
              z.describe('How many object levels below the line keys are matched (default 8).'),
            ),
        ),
        paths: z.optional(
          z
            .array(z.string().check(z.minLength(1), z.maxLength(256)))
            .check(
              z.maxLength(100),
              z.describe(
                "Exact field paths in pino's `redact` syntax (e.g. `body.card.number`) for values whose key " +
                  'name is not a secret one. Wildcard paths (`*.x`) are slow in pino: prefer `keys` for those.',
              ),
            ),
        ),
      })
      .check(z.describe('Redaction at source, before a line leaves the process.')),
  ),
});

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
