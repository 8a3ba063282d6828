import { SluiceError } from '../core/errors.js';

/** A bad config file: every problem with its path and, for YAML, line and column. */
export class StartConfigError extends SluiceError {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      'START_CONFIG_INVALID',
      `${source}: invalid config:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/**
 * An environment variable the config names (a token, an HMAC key) is not set: bad configuration
 * of the environment, so `sluice start` exits 2 like for a bad config file.
 */
export class StartEnvError extends SluiceError {
  constructor(
    /** Where the config names the variable (e.g. `rules.secrets_env.pii`, `http.token_env`). */
    readonly path: string,
    /** The variable's name (never its value). */
    readonly variable: string,
  ) {
    super('START_ENV_MISSING', `${path}: environment variable ${variable} is not set`);
  }
}
