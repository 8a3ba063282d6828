export type { InfraConfigProblem } from './errors.js';
export { InfraConfigError } from './errors.js';
export { IndicesSchema, indexLifecycle } from './indices.js';
export { loadInfraConfig, parseInfraConfig } from './load.js';
export type { ProfileName, ResolvedDomain } from './profiles.js';
export { PROFILE_NAMES, PROFILES } from './profiles.js';
export type { SluiceInfraConfig, SluiceInfraConfigInput } from './schema.js';
export { maxRecordAgeSeconds, RECORD_AGE_MARGIN_S, SluiceInfraConfigSchema } from './schema.js';
