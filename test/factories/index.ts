export {
  awslogsEventOf,
  CONTROL_MESSAGE,
  encodeCwlData,
  firehoseEventOf,
  gzipPayload,
  kinesisEventOf,
  makeEnvelope,
} from './cwl.js';
