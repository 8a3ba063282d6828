import pino from 'pino';
import { type LoggerLevel, type LoggerOptions, parseLoggerOptions } from './config.js';
import { type TransactionStore, transactionStore } from './context.js';
import { lineFormatOptions } from './format.js';
import { type LoggerEnv, resolveLevel } from './levels.js';
import { compileRedaction, DEFAULT_SECRET_KEYS, type Redaction } from './redact.js';

/** The level methods: pino's own signatures (`log.info('text')`, `log.info({ orderId }, 'text')`, `log.error(err)`). */
type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
const LEVEL_NAMES: readonly LevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Where lines go and which environment is read: handed in by the component's composition root. */
export interface LoggerIo {
  /**
   * Where lines are written. Default: `pino.destination({ fd: 1, sync })` — stdout, synchronous
   * inside Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) so no line is ever lost when the invocation
   * freezes, asynchronous elsewhere (flushed on exit by pino).
   */
  readonly destination?: pino.DestinationStream;
  /** Environment to read levels and the Lambda marker from. Default: `process.env`. */
  readonly env?: LoggerEnv;
}

/** Bound fields of a child logger (business metadata). */
export type Bindings = Readonly<Record<string, unknown>>;

/**
 * A structured logger for components: pino underneath, lines in the shape the Sluice pipeline
 * maps 1:1 onto its event schema, and the running transaction (see `runInTransaction`) added to
 * every line without being passed around.
 */
export class Logger {
  /** Logs at `trace` (pino's signatures). */
  readonly trace: pino.LogFn;
  /** Logs at `debug` (pino's signatures). */
  readonly debug: pino.LogFn;
  /** Logs at `info` (pino's signatures). */
  readonly info: pino.LogFn;
  /** Logs at `warn` (pino's signatures). */
  readonly warn: pino.LogFn;
  /** Logs at `error` (pino's signatures); an `Error` as first argument fills `error.*`. */
  readonly error: pino.LogFn;
  /** Logs at `fatal` (pino's signatures) and flushes synchronously. */
  readonly fatal: pino.LogFn;
  readonly #base: pino.Logger;
  readonly #destination: pino.DestinationStream;
  readonly #redaction: Redaction;

  /** @internal Use {@link createLogger}. */
  constructor(base: pino.Logger, destination: pino.DestinationStream, redaction: Redaction) {
    this.#base = base;
    this.#destination = destination;
    this.#redaction = redaction;
    const [trace, debug, info, warn, error, fatal] = LEVEL_NAMES.map((name) =>
      levelMethod(base, name, redaction),
    );
    this.trace = trace!;
    this.debug = debug!;
    this.info = info!;
    this.warn = warn!;
    this.error = error!;
    this.fatal = fatal!;
  }

  /** A logger whose lines also carry `bindings` (business metadata such as `{ order: { id } }`). */
  child(bindings: Bindings): Logger {
    return new Logger(
      this.#base.child(this.#redaction.bindings(bindings)),
      this.#destination,
      this.#redaction,
    );
  }

  /** The current level. Setting it affects this logger (children made later inherit it). */
  get level(): LoggerLevel {
    return this.#base.level as LoggerLevel;
  }
  set level(level: LoggerLevel) {
    this.#base.level = level;
  }

  /** True when a line at `level` would be written. */
  isLevelEnabled(level: LevelName): boolean {
    return this.#base.isLevelEnabled(level);
  }

  /**
   * Writes out anything buffered, synchronously when the destination can (a pino/SonicBoom
   * destination). The Lambda wrapper calls it before each invocation returns.
   */
  flush(): void {
    const dest = this.#destination as { flushSync?: () => void };
    if (typeof dest.flushSync === 'function') {
      try {
        dest.flushSync();
      } catch {
        // An asynchronous destination that has not opened its file yet has nothing to flush.
      }
    } else {
      this.#base.flush();
    }
  }
}

/**
 * The method for one level: checks the level on the base logger (cheap), then writes through the
 * running transaction's child of it (made once per transaction and base logger, so the context is
 * serialised once, not per line).
 */
function levelMethod(base: pino.Logger, name: LevelName, redaction: Redaction): pino.LogFn {
  const value = base.levels.values[name]!;
  return function log(...args: unknown[]): void {
    if (value < base.levelVal) return;
    const store = transactionStore();
    const target = store === undefined ? base : childFor(store, base, redaction);
    (target[name] as (...a: unknown[]) => void).apply(target, args);
  } as pino.LogFn;
}

function childFor(store: TransactionStore, base: pino.Logger, redaction: Redaction): pino.Logger {
  let child = store.loggers.get(base) as pino.Logger | undefined;
  if (child === undefined) {
    child = base.child(redaction.bindings(store.bindings));
    store.loggers.set(base, child);
  } else if (child.levelVal !== base.levelVal) {
    child.level = base.level;
  }
  return child;
}

/**
 * Creates the component's logger. Two lines in a component:
 * ```ts
 * import { createLogger } from 'sluice/logger';
 * export const log = createLogger({ service: 'orders-api' });
 * ```
 * Throws `LoggerConfigError` (listing every problem) on bad options or a bad level in the env.
 */
export function createLogger(options: LoggerOptions, io: LoggerIo = {}): Logger {
  const opts = parseLoggerOptions(options);
  const env = io.env ?? process.env;
  const level = resolveLevel(opts.level, env);
  const inLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const destination = io.destination ?? pino.destination({ fd: 1, sync: inLambda });
  const keys = [
    ...(opts.redact?.defaults === false ? [] : DEFAULT_SECRET_KEYS),
    ...(opts.redact?.keys ?? []),
  ];
  const redaction = compileRedaction(keys, opts.redact?.depth ?? 8, opts.redact?.paths ?? []);
  const format = lineFormatOptions(opts.service, redaction.bindings(opts.bindings ?? {}));
  const base = pino({ ...format, level, ...redaction.options }, destination);
  return new Logger(base, destination, redaction);
}
