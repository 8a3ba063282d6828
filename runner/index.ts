export {
  type CheckpointStore,
  compareSequence,
  openFileCheckpointStore,
  type ShardState,
} from './checkpoint.js';
export { type DeliverDeps, type DeliverStats, type DestinationReason, deliverBatch } from './deliver.js';
export {
  buildOnFailureRecord,
  createFileDestination,
  createS3Destination,
  createSqsDestination,
  type DestinationSpec,
  type FailureDestination,
  type OnFailureRecord,
  parseDestinationSpec,
} from './destination.js';
export { RUNNER_ERROR_CODES, RunnerError, type RunnerErrorCode } from './errors.js';
export {
  type InvocationVerdict,
  judgeResponse,
  type RunnerRecord,
  type SourceInfo,
  toKinesisEvent,
} from './event.js';
export { callHandler, invokeHandler, localContext } from './invoke.js';
export {
  type MappingOptions,
  type MappingOptionsInput,
  MappingOptionsSchema,
  parseMappingOptions,
} from './options.js';
export { type WaitUntilReadyOptions, waitUntilReady } from './ready.js';
export { createEventSourceRunner, type EventSourceRunner, type EventSourceRunnerOptions } from './runner.js';
export type { RunnerLogEntry, RunnerStats } from './shard-reader.js';
