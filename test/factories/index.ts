export type { HostileLine, HostilePayload } from './corpus.js';
export { hostileLines, hostilePayloads } from './corpus.js';
export {
  awslogsEventOf,
  CONTROL_MESSAGE,
  encodeCwlData,
  firehoseEventOf,
  gzipPayload,
  kinesisEventOf,
  makeEnvelope,
} from './cwl.js';
export type { GeneratedPayload, KinesisPayloadsOptions, LogLinesOptions } from './payloads.js';
export { generateKinesisPayloads, generateLogLines } from './payloads.js';
