import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DEAD_LETTER_ERROR_CODES,
  type DeadLetter,
  DeadLetterError,
  type DeadLetterStore,
  decodeLetter,
  encodeLetter,
  type StoredDeadLetter,
} from '../sinks/dead-letters/index.js';
import type { DeadLetterTarget } from './config.js';

/** Largest SQS message body (256 KiB). */
const SQS_MAX_BYTES = 256 * 1024;

/**
 * Dead letters in S3, one JSON object per letter under
 * `<prefix><stage>/<yyyy-mm-dd>/<sha256(id)>.json` (a letter written twice overwrites itself).
 */
export function createS3LetterStore(o: {
  client: S3Client;
  bucket: string;
  prefix?: string;
}): DeadLetterStore {
  const prefix = o.prefix ?? 'dead-letters/';
  const keyOf = (l: DeadLetter): string =>
    `${prefix}${l.stage}/${l.at.slice(0, 10)}/${createHash('sha256').update(l.id).digest('hex')}.json`;
  return {
    async put(letters) {
      try {
        await Promise.all(
          letters.map((l) =>
            o.client.send(
              new PutObjectCommand({
                Bucket: o.bucket,
                Key: keyOf(l),
                Body: encodeLetter(l),
                ContentType: 'application/json',
              }),
            ),
          ),
        );
      } catch (err) {
        throw new DeadLetterError(
          DEAD_LETTER_ERROR_CODES.put,
          `S3 PutObject failed (${(err as Error).name}); expected the letters stored`,
          { cause: err },
        );
      }
    },
    read(): AsyncIterable<StoredDeadLetter> {
      const { client, bucket } = o;
      return {
        async *[Symbol.asyncIterator]() {
          let token: string | undefined;
          do {
            const page = await client.send(
              new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
            );
            for (const obj of page.Contents ?? []) {
              if (!obj.Key) continue;
              const key = obj.Key;
              const body = await (
                await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
              ).Body?.transformToString();
              let letter: DeadLetter;
              try {
                letter = decodeLetter(body ?? '', `s3://${bucket}/${key}`);
              } catch {
                continue;
              }
              yield {
                letter,
                ack: async () =>
                  void (await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))),
              };
            }
            token = page.NextContinuationToken;
          } while (token);
        },
      };
    },
  };
}

/** Dead letters in SQS, one message per letter (a letter over 256 KiB is refused: use S3 for those). */
export function createSqsLetterStore(o: { client: SQSClient; queueUrl: string }): DeadLetterStore {
  return {
    async put(letters) {
      const bodies = letters.map(encodeLetter);
      const big = bodies.findIndex((b) => Buffer.byteLength(b) > SQS_MAX_BYTES);
      if (big >= 0) {
        throw new DeadLetterError(
          DEAD_LETTER_ERROR_CODES.put,
          `a letter of ${Buffer.byteLength(bodies[big]!)} bytes exceeds the SQS limit; expected at most ${SQS_MAX_BYTES} bytes (use SLUICE_DLQ_BUCKET)`,
        );
      }
      for (let i = 0; i < bodies.length; i += 10) {
        const chunk = bodies.slice(i, i + 10);
        let out: SendMessageBatchCommandOutput;
        try {
          out = await o.client.send(
            new SendMessageBatchCommand({
              QueueUrl: o.queueUrl,
              Entries: chunk.map((body, j) => ({ Id: String(j), MessageBody: body })),
            }),
          );
        } catch (err) {
          throw new DeadLetterError(
            DEAD_LETTER_ERROR_CODES.put,
            `SQS SendMessageBatch failed (${(err as Error).name}); expected the letters stored`,
            { cause: err },
          );
        }
        if ((out.Failed ?? []).length > 0) {
          throw new DeadLetterError(
            DEAD_LETTER_ERROR_CODES.put,
            `SQS refused ${out.Failed?.length} of ${chunk.length} letters; expected all stored`,
          );
        }
      }
    },
    read(): AsyncIterable<StoredDeadLetter> {
      const { client, queueUrl } = o;
      return {
        async *[Symbol.asyncIterator]() {
          for (;;) {
            const out = await client.send(
              new ReceiveMessageCommand({
                QueueUrl: queueUrl,
                MaxNumberOfMessages: 10,
                WaitTimeSeconds: 0,
                VisibilityTimeout: 60,
              }),
            );
            const messages = out.Messages ?? [];
            if (messages.length === 0) return;
            for (const m of messages) {
              let letter: DeadLetter;
              try {
                letter = decodeLetter(m.Body ?? '', `sqs message ${m.MessageId}`);
              } catch {
                continue;
              }
              const handle = m.ReceiptHandle;
              yield {
                letter,
                ack: async () =>
                  void (await client.send(
                    new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: handle }),
                  )),
              };
            }
          }
        },
      };
    },
  };
}

/** Opens the dead-letter store named by `SLUICE_DLQ_BUCKET` / `SLUICE_DLQ_QUEUE_URL`. */
export function openDeadLetterStore(target: DeadLetterTarget, region: string): DeadLetterStore {
  return target.kind === 's3'
    ? createS3LetterStore({ client: new S3Client({ region }), bucket: target.bucket })
    : createSqsLetterStore({ client: new SQSClient({ region }), queueUrl: target.queueUrl });
}
