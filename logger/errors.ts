import { SluiceError } from '../core/errors.js';

/** Stable codes of the errors the component logger raises. */
export const LOGGER_ERROR_CODES = {
  /** `createLogger` was handed options that do not match the schema (or a bad level in the env). */
  config: 'LOGGER_CONFIG_INVALID',
} as const;

/** One problem found in the logger's options: where, what was received, what was expected. */
export interface LoggerConfigProblem {
  /** Dotted path of the option (e.g. `level`, or `env.LOG_LEVEL`). */
  readonly path: string;
  /** What was received, described without echoing its content. */
  readonly received: string;
  /** What was expected (for schema problems, the validator's message, e.g. `Too small: expected …`). */
  readonly expected: string;
}

/**
 * Raised by `createLogger` when its options are wrong. Lists every problem; never echoes the
 * values themselves (an option may hold a secret).
 */
export class LoggerConfigError extends SluiceError {
  /** Every problem found, in order. */
  readonly problems: readonly LoggerConfigProblem[];

  constructor(problems: readonly LoggerConfigProblem[]) {
    const list = problems.map((p) => `${p.path}: ${p.expected} (received ${p.received})`);
    super(LOGGER_ERROR_CODES.config, `invalid logger options: ${list.join('; ')}`);
    this.problems = problems;
  }
}
