import { SluiceError } from '../../core/errors.js';

/** One problem in the deployment config, with its path and (for YAML) line and column. */
export interface InfraConfigProblem {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The deployment configuration is unreadable or invalid; `problems` lists every one. */
export class InfraConfigError extends SluiceError {
  readonly problems: readonly InfraConfigProblem[];

  constructor(source: string, problems: readonly InfraConfigProblem[]) {
    const lines = problems.map(
      (p) => `  ${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path}: ${p.message}`,
    );
    super('INFRA_CONFIG_INVALID', `invalid Sluice deployment config ${source}:\n${lines.join('\n')}`);
    this.problems = problems;
  }
}
