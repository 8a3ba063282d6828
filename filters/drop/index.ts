export { compileDropRule } from './compile.js';
export { type DropRule, DropRuleSchema } from './config.js';
export { dropWhen } from './drop.js';
