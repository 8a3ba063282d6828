import { SluiceError } from '../core/errors.js';

/** Stable codes of the local event-source runner's errors. */
export const RUNNER_ERROR_CODES = {
  /** Bad runner options. */
  options: 'RUNNER_OPTIONS_INVALID',
  /** The checkpoint file exists but is not a checkpoint. */
  checkpoint: 'RUNNER_CHECKPOINT_INVALID',
  /** The handler threw or returned an invalid response. */
  handler: 'RUNNER_HANDLER_FAILED',
  /** The on-failure destination could not be written. */
  destination: 'RUNNER_DESTINATION_FAILED',
} as const;
/** One of {@link RUNNER_ERROR_CODES}. */
export type RunnerErrorCode = (typeof RUNNER_ERROR_CODES)[keyof typeof RUNNER_ERROR_CODES];

/** An error of the local event-source runner. */
export class RunnerError extends SluiceError {
  declare readonly code: RunnerErrorCode;
  constructor(code: RunnerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
