import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ERROR_CODES, DeadLetterError } from './errors.js';
import { decodeLetter, encodeLetter } from './letter.js';
import type { DeadLetter, DeadLetterStore, ReadOptions, StoredDeadLetter } from './types.js';

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
      for (let i = 0; i < letters.length; i += 10) {
        const batch = letters.slice(i, i + 10);
        const res = await o.client.send(
          new SendMessageBatchCommand({
            QueueUrl: o.queueUrl,
            Entries: batch.map((letter, k) => ({ Id: String(k), MessageBody: encodeLetter(letter) })),
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
          for (;;) {
            const res = await o.client.send(
              new ReceiveMessageCommand({
                QueueUrl: o.queueUrl,
                MaxNumberOfMessages: 10,
                WaitTimeSeconds: 1,
                VisibilityTimeout: o.visibilityTimeoutS ?? 300,
              }),
            );
            const messages = res.Messages ?? [];
            if (messages.length === 0) return;
            for (const m of messages) {
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
          }
        },
      };
    },
  };
}
