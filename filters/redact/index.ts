export { hashAction, maskAction, partialAction, type RedactAction, removeAction } from './actions.js';
export { type CompiledRedactRule, compileRedactRule, normaliseKey } from './compile.js';
export {
  REDACT_ACTIONS,
  REDACT_ROOTS,
  type RedactRule,
  type RedactRuleInput,
  RedactRuleSchema,
} from './config.js';
export { DEFAULT_PACK } from './default-pack.js';
export {
  DETECTOR_DESCRIPTIONS,
  DETECTOR_IDS,
  DETECTORS,
  type DetectorId,
  isCardNumber,
  luhn,
} from './detectors.js';
export { createRedactor, type Redactor, type RedactResult } from './redact.js';
export { SECRET_KEY_MASK, SECRET_KEY_PATTERNS } from './secret-keys.js';
