export type { FirehoseDecoded, KinesisDecoded } from './aws-events.js';
export { decodeAwslogsEvent, decodeFirehoseEvent, decodeKinesisEvent } from './aws-events.js';
export type { DecodeOptions, DecodeResult } from './decode.js';
export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  decodeCwlData,
  decodeEnvelopeJson,
  decodeEnvelopeValue,
  isDataMessage,
} from './decode.js';
export type { DetectedLine, LineKind, LinePayload } from './detect.js';
export { detectLine, LINE_KINDS } from './detect.js';
export type { CwlEnvelope, CwlLogEvent } from './envelope.js';
export { CwlDataMessageSchema, CwlLogEventSchema } from './envelope.js';
export type { EnvelopeProblem, IngestErrorCode } from './errors.js';
export { INGEST_ERROR_CODES, IngestError } from './errors.js';
export type { InputLine, ReadLinesOptions } from './lines.js';
export { DEFAULT_MAX_LINE_BYTES, readLineBatches } from './lines.js';
