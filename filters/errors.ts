import { SluiceError } from '../core/errors.js';

/** Stable codes of the errors raised by `filters/`. */
export const FILTER_ERROR_CODES = {
  /** The rules file is not valid (syntax, schema or compile problems; see `problems`). */
  configInvalid: 'FILTERS_CONFIG_INVALID',
  /** The rules file could not be read. */
  fileUnreadable: 'FILTERS_FILE_UNREADABLE',
  /** A rule threw while processing an event; the event is failed (dead-lettered), never forwarded. */
  ruleFailed: 'FILTERS_RULE_FAILED',
} as const;

/** One problem in a rules file: where it is, what was received and what was expected. */
export interface RuleProblem {
  /** The rule's `name` (or `#N` when it has none), absent for file-level problems. */
  readonly rule?: string;
  /** Dotted path inside the file, e.g. `rules[2].drop_when.field`. */
  readonly path: string;
  /** 1-based line in the file (0 when unknown, e.g. a rule built in code). */
  readonly line: number;
  /** 1-based column in the file (0 when unknown). */
  readonly column: number;
  /** What was found there (a short description, never event content). */
  readonly received: string;
  /** What is expected there. */
  readonly expected: string;
  /** One readable sentence. */
  readonly message: string;
}

/** Formats one problem as `source:line:column rule 'x' at path: message (received …, expected …)`. */
export function formatProblem(source: string, p: RuleProblem): string {
  const where = p.line > 0 ? `${source}:${p.line}:${p.column}` : source;
  const rule = p.rule ? ` rule '${p.rule}'` : '';
  return `${where}${rule} at ${p.path || '(root)'}: ${p.message} (received ${p.received}; expected ${p.expected})`;
}

/** A rules file is invalid; `problems` lists every problem found, not just the first. */
export class RuleConfigError extends SluiceError {
  /** Every problem found, in file order. */
  readonly problems: readonly RuleProblem[];
  /** The file name (or other label) the rules came from. */
  readonly source: string;

  constructor(source: string, problems: readonly RuleProblem[]) {
    const lines = problems.map((p) => `  ${formatProblem(source, p)}`);
    super(
      FILTER_ERROR_CODES.configInvalid,
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the rules file:\n${lines.join('\n')}`,
    );
    this.problems = problems;
    this.source = source;
  }
}

/** The rules file could not be read from disk. */
export class RuleFileReadError extends SluiceError {
  constructor(path: string, cause: unknown) {
    const code = (cause as { code?: string } | undefined)?.code ?? 'unknown error';
    super(
      FILTER_ERROR_CODES.fileUnreadable,
      `cannot read rules file ${path} (${code}); expected a readable YAML or JSON file`,
      {
        cause,
      },
    );
  }
}

/**
 * A rule threw while processing an event. The event is failed closed: dead-lettered by the
 * runner, never forwarded (possibly unredacted). The message names the rule and the error class
 * only — never event content.
 */
export class FilterRuleError extends SluiceError {
  /** The rule that threw. */
  readonly rule: string;

  constructor(rule: string, cause: unknown) {
    const kind = cause instanceof Error ? cause.name : typeof cause;
    super(
      FILTER_ERROR_CODES.ruleFailed,
      `rule '${rule}' threw ${kind} while processing an event; the event was not forwarded (fail closed)`,
      { cause },
    );
    this.rule = rule;
  }
}
