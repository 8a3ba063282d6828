export { compileEnrichRule, compileTemplate } from './compile.js';
export { ENRICH_STRING_TARGETS, type EnrichRule, EnrichRuleSchema } from './config.js';
export { enrichWith } from './enrich.js';
