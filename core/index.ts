export { chunkBySize } from './chunk.js';
export { describeValue, SluiceError } from './errors.js';
export type { Outcome } from './outcome.js';
export { drop, fail, keep } from './outcome.js';
export { seededRandom } from './random.js';
