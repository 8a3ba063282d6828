/**
 * `sluice/logger`: structured logs for components, in the shape the Sluice pipeline maps 1:1 onto
 * its event schema, with the transaction id on every line. See docs/logger.md.
 */
export { transactionFromEvent, transactionFromRecord } from './aws-events.js';
export { LOGGER_LEVELS, type LoggerLevel, type LoggerOptions, LoggerOptionsSchema } from './config.js';
export {
  addTransactionFields,
  bindTransaction,
  currentTransaction,
  type FaasInfo,
  runInTransaction,
  startTransaction,
  type TransactionInfo,
  type TransactionSeed,
} from './context.js';
export { LOGGER_ERROR_CODES, LoggerConfigError, type LoggerConfigProblem } from './errors.js';
export {
  type HeadersLike,
  PAYLOAD_TRANSACTION_FIELDS,
  TRANSACTION_HEADER,
  transactionFromHeaders,
  transactionFromPayload,
} from './extract.js';
export { type HttpTransactionOptions, transactionMiddleware, withHttpTransaction } from './http.js';
export { newTransactionId } from './ids.js';
export { type AsyncHandler, type LambdaOptions, withLambda } from './lambda.js';
export type { LoggerEnv } from './levels.js';
export { type Bindings, createLogger, Logger, type LoggerIo } from './logger.js';
export {
  type FetchLike,
  type MessageAttribute,
  tracedFetch,
  transactionAttributes,
  transactionHeaders,
  withTransaction,
} from './propagate.js';
export { DEFAULT_SECRET_KEYS, REDACTION_CENSOR } from './redact.js';
