export { chunkBySize } from './chunk.js';
export { describeValue, SluiceError } from './errors.js';
export type { Outcome } from './outcome.js';
export { drop, fail, keep } from './outcome.js';
export { seededRandom } from './random.js';
export type {
  StageCounters,
  StageEvent,
  StageFilter,
  StageInput,
  StageLetter,
  StageResult,
} from './stage.js';
export { emptyStageCounters, letterId, runStage, STAGE_ERROR_CODES } from './stage.js';
