import type { EventDraft } from './draft.js';

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
 * A compiled non-redact rule. It reads the event as `draft.event` and writes only through the
 * draft (copy on write, shared by every step of one pipeline run, so the input is never
 * mutated); it returns false to drop the event with the rule's name as the reason.
 */
export interface CompiledStep {
  readonly name: string;
  readonly kind: 'drop' | 'sample' | 'enrich' | 'route';
  run(draft: EventDraft): boolean;
}
