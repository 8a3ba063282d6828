import type { Readable, Writable } from 'node:stream';
import { SluiceError } from '../core/errors.js';

/** Exit codes of the `sluice` command line (contract). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
/** One of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The streams and environment a command is handed (the CLI's composition root builds it). */
export interface CommandIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
  readonly signal: AbortSignal;
}

/** A `sluice` sub-command. `help` is printed for `sluice <name> --help`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: readonly string[], io: CommandIo): Promise<ExitCode>;
}

/** Raised for bad usage or bad config: the CLI prints the message and exits 2. */
export class UsageError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_USAGE', message, options);
  }
}

/** Runs `parse` (e.g. `parseArgs`); whatever it throws becomes a {@link UsageError} (exit 2). */
export function parsedOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
}
