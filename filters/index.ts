export type { Condition } from './condition/index.js';
export { ConditionSchema, compileCondition, type Predicate } from './condition/index.js';
export {
  FILTER_ERROR_CODES,
  FilterRuleError,
  formatProblem,
  RuleConfigError,
  RuleFileReadError,
  type RuleProblem,
} from './errors.js';
export { loadRuleFile, parseRuleFile, validateRuleFile } from './parse.js';
export {
  type CompileOptions,
  compileRules,
  type FilterPipeline,
  REDACTION_STEP,
} from './pipeline.js';
export { DEFAULT_PACK, DETECTOR_IDS, type DetectorId } from './redact/index.js';
export {
  RULE_KINDS,
  type Rule,
  type RuleFile,
  type RuleFileInput,
  RuleFileSchema,
  type RuleKind,
  RuleSchema,
} from './rule-file.js';
