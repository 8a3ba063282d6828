import { SluiceError } from '../core/errors.js';

/** Stable codes of {@link TransformConfigError}. */
export const TRANSFORM_ERROR_CODES = {
  /** A normaliser option is invalid (e.g. a reserved field name). */
  configInvalid: 'TRANSFORM_CONFIG_INVALID',
} as const;

/** Bad normaliser options, raised by `compileNormalizer` (never while normalising events). */
export class TransformConfigError extends SluiceError {
  /** Every problem found, with the option path. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];

  constructor(problems: readonly { path: string; message: string }[]) {
    super(
      TRANSFORM_ERROR_CODES.configInvalid,
      `invalid normaliser options: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
    this.problems = problems;
  }
}
