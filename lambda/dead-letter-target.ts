import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createS3DeadLetterStore } from '../sinks/dead-letters/s3-store.js';
import { createSqsDeadLetterStore } from '../sinks/dead-letters/sqs-store.js';
import type { DeadLetterStore } from '../sinks/dead-letters/types.js';
import type { DeadLetterTarget } from './config.js';

/** Opens the dead-letter store named by `SLUICE_DLQ_BUCKET` / `SLUICE_DLQ_QUEUE_URL`. */
export function openDeadLetterStore(target: DeadLetterTarget, region: string): DeadLetterStore {
  return target.kind === 's3'
    ? createS3DeadLetterStore({ client: new S3Client({ region }), bucket: target.bucket })
    : createSqsDeadLetterStore({ client: new SQSClient({ region }), queueUrl: target.queueUrl });
}
