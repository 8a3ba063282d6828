import type { CompiledStep } from '../compile-context.js';
import { compileCondition } from '../condition/compile.js';
import type { DropRule } from './config.js';
import { dropWhen } from './drop.js';

/** Compiles a validated drop rule into a step. */
export function compileDropRule(rule: DropRule): CompiledStep {
  const drops = dropWhen(compileCondition(rule.drop_when));
  return { name: rule.name, kind: 'drop', run: (draft) => drops(draft.event) !== null };
}
