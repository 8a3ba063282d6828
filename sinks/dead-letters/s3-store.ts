import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { DeadLetterError } from './errors.js';
import { decodeLetter, encodeLetter } from './letter.js';
import type { DeadLetter, DeadLetterStore, ReadOptions, StoredDeadLetter } from './types.js';

/** Options of {@link createS3DeadLetterStore}. */
export interface S3DeadLetterStoreOptions extends ReadOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix (default `dead-letters/`). */
  prefix?: string;
  /** Parallel PutObject calls (default 8). */
  concurrency?: number;
}

async function eachKey(
  o: S3DeadLetterStoreOptions,
  prefix: string,
  fn: (key: string) => void,
): Promise<void> {
  let token: string | undefined;
  do {
    const page = await o.client.send(
      new ListObjectsV2Command({ Bucket: o.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const obj of page.Contents ?? []) if (obj.Key) fn(obj.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * Dead letters in S3, one JSON object per letter under
 * `<prefix><yyyy>/<mm>/<dd>/<stage>/<letter id>-<uuid>.json` (server-side encryption is the bucket's
 * default). `ack()` deletes the object. Objects that are not letters are skipped and left alone.
 */
export function createS3DeadLetterStore(o: S3DeadLetterStoreOptions): DeadLetterStore {
  const prefix = o.prefix ?? 'dead-letters/';
  return {
    async put(letters: readonly DeadLetter[]): Promise<void> {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < letters.length) {
          const letter = letters[next++] as DeadLetter;
          const day = letter.at.slice(0, 10).replaceAll('-', '/');
          const key = `${prefix}${day}/${letter.stage}/${encodeURIComponent(letter.id)}-${randomUUID()}.json`;
          await o.client.send(
            new PutObjectCommand({
              Bucket: o.bucket,
              Key: key,
              Body: encodeLetter(letter),
              ContentType: 'application/json',
            }),
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, letters.length) }, worker));
    },
    async count(): Promise<number> {
      let n = 0;
      await eachKey(o, prefix, () => {
        n++;
      });
      return n;
    },
    read(): AsyncIterable<StoredDeadLetter> {
      return {
        async *[Symbol.asyncIterator]() {
          const keys: string[] = [];
          await eachKey(o, prefix, (k) => keys.push(k));
          for (const key of keys) {
            let text: string;
            try {
              const obj = await o.client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key }));
              text = (await obj.Body?.transformToString('utf8')) ?? '';
            } catch (err) {
              if ((err as { name?: string }).name === 'NoSuchKey') continue; // acked by another replay
              throw err;
            }
            let letter: DeadLetter;
            try {
              letter = decodeLetter(text, `s3://${o.bucket}/${key}`);
            } catch (err) {
              o.onMalformed?.(err as DeadLetterError);
              continue;
            }
            yield {
              letter,
              ack: async () => {
                await o.client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: key }));
              },
            };
          }
        },
      };
    },
  };
}
