import { describeValue } from '../core/errors.js';
import { LOGGER_LEVELS, type LoggerLevel } from './config.js';
import { LoggerConfigError } from './errors.js';

/** The environment variables the logger reads (a plain record, so tests can hand their own). */
export type LoggerEnv = Readonly<Record<string, string | undefined>>;

const KNOWN = new Set<string>(LOGGER_LEVELS);

/**
 * Picks the level, in this order (the same order as Powertools Logger):
 * 1. `AWS_LAMBDA_LOG_LEVEL` — Lambda advanced logging controls, set on the function by its operator;
 * 2. the `level` option;
 * 3. `LOG_LEVEL` from the environment;
 * 4. `info`.
 * Values are case-insensitive (`DEBUG`, `debug`). An unknown value is a {@link LoggerConfigError}:
 * a typo in a level must not silently turn logging off.
 */
export function resolveLevel(option: LoggerLevel | undefined, env: LoggerEnv): LoggerLevel {
  const alc = envLevel(env, 'AWS_LAMBDA_LOG_LEVEL');
  if (alc !== undefined) return alc;
  if (option !== undefined) return option;
  return envLevel(env, 'LOG_LEVEL') ?? 'info';
}

function envLevel(env: LoggerEnv, name: string): LoggerLevel | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const level = raw.trim().toLowerCase();
  if (KNOWN.has(level)) return level as LoggerLevel;
  throw new LoggerConfigError([
    {
      path: `env.${name}`,
      received: describeValue(raw),
      expected: `expected one of ${LOGGER_LEVELS.join(', ')} (any case)`,
    },
  ]);
}
