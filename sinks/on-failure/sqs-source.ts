import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { drainQueue } from '../dead-letters/sqs-drain.js';
import type { OnFailureError } from './errors.js';
import { parseOnFailureRecord } from './record.js';
import type { FailedBatchSource, StoredFailedBatch } from './s3-source.js';

/**
 * The on-failure records on an SQS queue (what an event source mapping with an SQS destination
 * kept: pointers into the stream). Each message is received once per read, invisible for
 * `visibilityTimeoutS` (300); `ack()` deletes it, `release()` makes a kept one visible again.
 */
export function createSqsFailedBatchSource(o: {
  client: SQSClient;
  queueUrl: string;
  visibilityTimeoutS?: number;
}): FailedBatchSource & { release(): Promise<void> } {
  const kept: string[] = [];
  return {
    read: () => ({
      async *[Symbol.asyncIterator]() {
        for await (const m of drainQueue(o.client, o.queueUrl, o.visibilityTimeoutS)) {
          const handle = m.ReceiptHandle as string;
          let parsed: Pick<StoredFailedBatch, 'batch' | 'error'>;
          try {
            parsed = { batch: parseOnFailureRecord(m.Body ?? '') };
          } catch (err) {
            parsed = { error: err as OnFailureError };
          }
          kept.push(handle);
          yield {
            location: `${o.queueUrl}#${m.MessageId ?? '?'}`,
            ...parsed,
            ack: async () => {
              await o.client.send(new DeleteMessageCommand({ QueueUrl: o.queueUrl, ReceiptHandle: handle }));
              kept.splice(kept.indexOf(handle), 1);
            },
          };
        }
      },
    }),
    async release() {
      for (const handle of kept.splice(0)) {
        await o.client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: o.queueUrl,
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          }),
        );
      }
    },
  };
}
