export type { DeadLetterErrorCode } from './errors.js';
export { DEAD_LETTER_ERROR_CODES, DeadLetterError } from './errors.js';
export { createFileDeadLetterStore } from './file-store.js';
export { DeadLetterSchema, decodeLetter, encodeLetter } from './letter.js';
export type { DeadLetter, DeadLetterStage, DeadLetterStore, ReadOptions, StoredDeadLetter } from './types.js';
export { DEAD_LETTER_STAGES } from './types.js';
