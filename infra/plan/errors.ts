import { SluiceError } from '../../core/errors.js';

/** Stable codes of the capacity planner's errors. */
export const PLAN_ERROR_CODES = {
  /** An input (rate, size, retention, peak factor, profile) is out of range. */
  input: 'PLAN_INPUT_INVALID',
  /** No instance type of the price list can hold the load within the domain limits. */
  tooLarge: 'PLAN_BEYOND_LIMITS',
} as const;
/** One of {@link PLAN_ERROR_CODES}. */
export type PlanErrorCode = (typeof PLAN_ERROR_CODES)[keyof typeof PLAN_ERROR_CODES];

/** A planning input that cannot be sized; the message names the input and the accepted range. */
export class PlanError extends SluiceError {
  declare readonly code: PlanErrorCode;
  constructor(code: PlanErrorCode, message: string) {
    super(code, message);
  }
}
