import type { CompiledStep } from '../compile-context.js';
import { compileCondition } from '../condition/compile.js';
import type { DropRule } from './config.js';
import { dropWhen } from './drop.js';

/** Compiles a validated drop rule into a step. */
export function compileDropRule(rule: DropRule): CompiledStep {
  return { name: rule.name, kind: 'drop', run: dropWhen(compileCondition(rule.drop_when)) };
}
