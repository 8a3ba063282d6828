import { SluiceError } from '../core/errors.js';

/** Stable codes of the Lambda composition roots' errors. */
const LAMBDA_ERROR_CODES = {
  /** The environment variables do not describe a valid configuration. */
  config: 'LAMBDA_CONFIG_INVALID',
  /** The secret named by `SLUICE_SECRETS_ARN` is missing or not a JSON object of strings. */
  secrets: 'LAMBDA_SECRETS_INVALID',
} as const;
/** One of {@link LAMBDA_ERROR_CODES}. */
export type LambdaErrorCode = (typeof LAMBDA_ERROR_CODES)[keyof typeof LAMBDA_ERROR_CODES];

/** One problem with one environment variable. */
export interface ConfigProblem {
  readonly variable: string;
  /** What was found, described without echoing secrets (e.g. `a string of 12 characters`). */
  readonly received: string;
  readonly expected: string;
}

/** Bad Lambda configuration: lists every problem (thrown at cold start). */
export class LambdaConfigError extends SluiceError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.variable}: received ${p.received}; expected ${p.expected}`);
    super(
      LAMBDA_ERROR_CODES.config,
      `invalid Lambda configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.problems = problems;
  }
}

/** The secrets of `SLUICE_SECRETS_ARN` could not be used. */
export class LambdaSecretsError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(LAMBDA_ERROR_CODES.secrets, message, options);
  }
}
