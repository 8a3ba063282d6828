export { compileSampleRule } from './compile.js';
export { type SampleRule, SampleRuleSchema } from './config.js';
export { sampleBy, unitHash } from './sample.js';
