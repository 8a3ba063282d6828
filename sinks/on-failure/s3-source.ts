import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { OnFailureError } from './errors.js';
import { type FailedBatch, parseOnFailureRecord } from './record.js';

/** Where Lambda puts the on-failure records of an event source mapping in a bucket. */
export const LAMBDA_ON_FAILURE_PREFIX = 'aws/lambda/';

/** One stored on-failure record: parsed, or the reason it could not be. */
export interface StoredFailedBatch {
  /** Where it is (`s3://bucket/key`), for reports. */
  readonly location: string;
  readonly batch?: FailedBatch;
  readonly error?: OnFailureError;
  /** Removes it (after its records are back on their stream). */
  ack(): Promise<void>;
}

/** A place on-failure records are read from. */
export interface FailedBatchSource {
  read(): AsyncIterable<StoredFailedBatch>;
}

/**
 * The on-failure records under a prefix of a bucket (Lambda's: `aws/lambda/`), oldest key first
 * within each listing page; `ack()` deletes the object (on a versioned bucket: a delete marker,
 * the version stays until the lifecycle rule expires it).
 */
export function createS3FailedBatchSource(o: {
  client: S3Client;
  bucket: string;
  prefix: string;
}): FailedBatchSource {
  return {
    read: () => ({
      async *[Symbol.asyncIterator]() {
        let token: string | undefined;
        do {
          const page = await o.client.send(
            new ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.prefix, ContinuationToken: token }),
          );
          for (const { Key: key } of page.Contents ?? []) {
            if (!key) continue;
            let text: string;
            try {
              const obj = await o.client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key }));
              text = (await obj.Body?.transformToString('utf8')) ?? '';
            } catch (err) {
              if ((err as { name?: string }).name === 'NoSuchKey') continue; // replayed meanwhile
              throw err;
            }
            const location = `s3://${o.bucket}/${key}`;
            const ack = async (): Promise<void> => {
              await o.client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: key }));
            };
            let parsed: Pick<StoredFailedBatch, 'batch' | 'error'>;
            try {
              parsed = { batch: parseOnFailureRecord(text) };
            } catch (err) {
              parsed = { error: err as OnFailureError };
            }
            yield { location, ...parsed, ack };
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      },
    }),
  };
}
