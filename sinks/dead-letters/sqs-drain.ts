import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Every message currently on `queueUrl`, received in batches of 10 and each invisible for
 * `visibilityTimeoutS` (default 300) while the caller handles it; ends at the first empty receive
 * (1 s wait). The one receive loop of the SQS dead-letter store and the on-failure SQS source.
 */
export async function* drainQueue(
  client: SQSClient,
  queueUrl: string,
  visibilityTimeoutS = 300,
): AsyncGenerator<Message> {
  for (;;) {
    const res = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: visibilityTimeoutS,
      }),
    );
    const messages = res.Messages ?? [];
    if (messages.length === 0) return;
    yield* messages;
  }
}
