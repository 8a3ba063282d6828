export type { BackoffOptions } from './backoff.js';
export { backoffCeilingMs, backoffDelayMs } from './backoff.js';
export { chunkBySize } from './chunk.js';
export { describeValue, SluiceError } from './errors.js';
export type { Glob, GlobOptions } from './glob.js';
export { compileGlob } from './glob.js';
export type { Outcome } from './outcome.js';
export { drop, fail, keep } from './outcome.js';
export { pool, pull } from './pool.js';
export { seededRandom } from './random.js';
export { sleep } from './sleep.js';
export type {
  StageCounters,
  StageEvent,
  StageFilter,
  StageInput,
  StageLetter,
  StageResult,
} from './stage.js';
export { emptyStageCounters, letterId, runStage, STAGE_ERROR_CODES } from './stage.js';
