import type { LogEvent } from '../transform/schema.js';

/** A problem found while compiling one rule (positions are added by the caller). */
export interface CompileProblem {
  /** Path inside the rule, e.g. `['hash_key']`. */
  readonly path: readonly (string | number)[];
  readonly received: string;
  readonly expected: string;
  readonly message: string;
}

/** What a rule's compile step is handed. */
export interface CompileContext {
  /** Named secrets (HMAC keys) from the composition root; never from the rules file. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Reports a problem; compiling continues so that every problem is listed. */
  problem(p: CompileProblem): void;
}

/**
 * A compiled non-redact rule: returns the (possibly new) event, or `null` to drop it with the
 * rule's name as the reason. Never mutates its input.
 */
export interface CompiledStep {
  readonly name: string;
  readonly kind: 'drop' | 'sample' | 'enrich' | 'route';
  run(event: LogEvent): LogEvent | null;
}
