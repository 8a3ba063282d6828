import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { chunkBySize } from '../../core/chunk.js';
import { DEAD_LETTER_ERROR_CODES, DeadLetterError } from './errors.js';
import { decodeLetter, encodeLetter } from './letter.js';
import { drainQueue } from './sqs-drain.js';
import type { DeadLetter, DeadLetterStore, ReadOptions, StoredDeadLetter } from './types.js';

/** SQS's limit on one message, and on the sum of a SendMessageBatch (256 KiB). */
const SQS_MAX_BYTES = 262_144;

/** Options of {@link createSqsDeadLetterStore}. */
export interface SqsDeadLetterStoreOptions extends ReadOptions {
  client: SQSClient;
  queueUrl: string;
  /** How long a received letter stays invisible to others while it is replayed (default 300 s). */
  visibilityTimeoutS?: number;
}

/**
 * Dead letters in an SQS queue, one message per letter (the queue's limit on message size
 * applies: S3 suits very large events better). `read()` receives until the queue answers empty;
 * `ack()` deletes the message; a letter not acked becomes visible again after the visibility
 * timeout. Messages that are not letters are skipped and left in the queue.
 */
export function createSqsDeadLetterStore(o: SqsDeadLetterStoreOptions): DeadLetterStore {
  return {
    async put(letters: readonly DeadLetter[]): Promise<void> {
      const bodies = letters.map(encodeLetter);
      for (const [k, body] of bodies.entries()) {
        const bytes = Buffer.byteLength(body);
        if (bytes > SQS_MAX_BYTES) {
          throw new DeadLetterError(
            DEAD_LETTER_ERROR_CODES.put,
            `dead letter ${k + 1} of ${bodies.length} is ${bytes} bytes, over SQS's ${SQS_MAX_BYTES}-byte message limit; use the S3 dead-letter store for large events`,
          );
        }
      }
      // Up to 10 messages and 256 KiB per SendMessageBatch.
      const sized = bodies.map((body, index) => ({ body, index, bytes: Buffer.byteLength(body) }));
      for (const batch of chunkBySize(sized, SQS_MAX_BYTES, 10)) {
        const res = await o.client.send(
          new SendMessageBatchCommand({
            QueueUrl: o.queueUrl,
            Entries: batch.map((b) => ({ Id: String(b.index), MessageBody: b.body })),
          }),
        );
        if (res.Failed && res.Failed.length > 0) {
          const codes = [...new Set(res.Failed.map((f) => f.Code ?? 'unknown'))].join(', ');
          throw new DeadLetterError(
            DEAD_LETTER_ERROR_CODES.put,
            `SQS refused ${res.Failed.length} of ${batch.length} dead letters (${codes})`,
          );
        }
      }
    },
    async count(): Promise<number> {
      const res = await o.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: o.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    read(): AsyncIterable<StoredDeadLetter> {
      return {
        async *[Symbol.asyncIterator]() {
          for await (const m of drainQueue(o.client, o.queueUrl, o.visibilityTimeoutS)) {
            let letter: DeadLetter;
            try {
              letter = decodeLetter(m.Body ?? '', `SQS message ${m.MessageId ?? '?'}`);
            } catch (err) {
              o.onMalformed?.(err as DeadLetterError);
              continue;
            }
            const handle = m.ReceiptHandle;
            yield {
              letter,
              ack: async () => {
                await o.client.send(
                  new DeleteMessageCommand({ QueueUrl: o.queueUrl, ReceiptHandle: handle }),
                );
              },
              release: async () => {
                await o.client.send(
                  new ChangeMessageVisibilityCommand({
                    QueueUrl: o.queueUrl,
                    ReceiptHandle: handle,
                    VisibilityTimeout: 0,
                  }),
                );
              },
            };
          }
        },
      };
    },
  };
}
