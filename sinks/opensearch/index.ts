export type { BulkItem } from './body.js';
export {
  actionLine,
  bulkBody,
  chunkItems,
  compileStreamNamer,
  documentId,
  serializeOperation,
  splitInHalf,
  streamSegment,
} from './body.js';
export type { Chunker } from './chunker.js';
export { buildItems, createChunker } from './chunker.js';
export type { BulkResponseItem, ItemVerdict, RequestVerdict } from './classify.js';
export { classifyItem, classifyRequestError, describeItemError, offendingField } from './classify.js';
export type { OpenSearchClientOptions } from './client.js';
export { createOpenSearchClient } from './client.js';
export type { IndexLifecycle, OpenSearchSinkConfig, OpenSearchSinkConfigInput } from './config.js';
export { IndexLifecycleSchema, OpenSearchSinkConfigSchema, parseSinkConfig } from './config.js';
export type { OpenSearchErrorCode } from './errors.js';
export { OPENSEARCH_ERROR_CODES, OpenSearchSinkError } from './errors.js';
export { healDocument, locate, QUARANTINE_FIELDS_KEY, QUARANTINE_KEY } from './heal.js';
export type { SetupReport } from './setup.js';
export { setupOpenSearch } from './setup.js';
export type {
  DeliveryFailure,
  DeliveryReport,
  DeliveryResult,
  OpenSearchSink,
  OpenSearchSinkOptions,
} from './sink.js';
export { createOpenSearchSink, DELIVERY_RESULTS } from './sink.js';
export { eventMappings, indexTemplate, ismPolicy, setupNames } from './template.js';
