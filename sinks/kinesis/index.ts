export { createKinesisClient } from './client.js';
export { type BadLine, type DecodedEventsRecord, decodeEventsRecord } from './codec.js';
export { KINESIS_ERROR_CODES, type KinesisErrorCode, KinesisSinkError } from './errors.js';
export {
  type BatchOptions,
  batchRecords,
  DEFAULT_PARTITION_BUCKETS,
  type EventsCompression,
  KINESIS_LIMITS,
  type PackedRecord,
  type PackOptions,
  type PackResult,
  packEvents,
  partitionKeyFor,
  partitionKeyOf,
  transactionKeyOf,
} from './pack.js';
export { createKinesisEventSink, type KinesisDeliveryReport, type KinesisEventSinkOptions } from './sink.js';
export {
  createKinesisEventWriter,
  type KinesisEventWriter,
  type KinesisEventWriterOptions,
  type KinesisPutReport,
  type KinesisPutResult,
  type PutRecordsClient,
} from './writer.js';
