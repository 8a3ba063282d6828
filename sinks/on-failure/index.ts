export { ON_FAILURE_ERROR_CODES, OnFailureError, type OnFailureErrorCode } from './errors.js';
export { type FailedBatch, type FailedKinesisRecord, parseOnFailureRecord } from './record.js';
export {
  type FailedBatchReplayOptions,
  type FailedBatchReplayReport,
  replayFailedBatches,
} from './replay.js';
export {
  createS3FailedBatchSource,
  type FailedBatchSource,
  LAMBDA_ON_FAILURE_PREFIX,
  type StoredFailedBatch,
} from './s3-source.js';
export { createSqsFailedBatchSource } from './sqs-source.js';
