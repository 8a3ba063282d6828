export type { ErrorFields } from './error-fields.js';
export { TRANSFORM_ERROR_CODES, TransformConfigError } from './errors.js';
export { parseTraceId } from './ids.js';
export { normalizeLevel } from './levels.js';
export type { EventContext, NormalizeOptions, Normalizer } from './normalize.js';
export {
  compileNormalizer,
  DEFAULT_TRACE_ID_FIELDS,
  DEFAULT_TRANSACTION_ID_FIELDS,
  functionFromLogGroup,
  serviceFromLogGroup,
} from './normalize.js';
export type { LogEvent, LogFormat, LogLevel } from './schema.js';
export { LOG_FORMATS, LOG_LEVELS, LogEventSchema } from './schema.js';
