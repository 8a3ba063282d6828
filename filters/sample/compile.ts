import type { CompiledStep } from '../compile-context.js';
import { compileCondition } from '../condition/compile.js';
import { splitPath } from '../path.js';
import type { SampleRule } from './config.js';
import { sampleBy } from './sample.js';

/** Compiles a validated sample rule into a step. */
export function compileSampleRule(rule: SampleRule): CompiledStep {
  const sample = sampleBy(
    rule.name,
    splitPath(rule.key),
    rule.keep_ratio,
    rule.when && compileCondition(rule.when),
  );
  return { name: rule.name, kind: 'sample', run: (draft) => sample(draft.event) !== null };
}
