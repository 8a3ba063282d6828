export { compileCondition, type Predicate } from './compile.js';
export { type Condition, ConditionSchema, FieldPathSchema, RegexSchema } from './config.js';
