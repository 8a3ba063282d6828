import { randomUUID } from 'node:crypto';
import type { Context, KinesisStreamEvent, KinesisStreamHandler } from 'aws-lambda';
import {
  type InvocationVerdict,
  judgeResponse,
  type RunnerRecord,
  type SourceInfo,
  toKinesisEvent,
} from './event.js';

/** A Lambda-like `Context` for a local invocation. */
export function localContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Calls an async or callback-style handler and waits for its answer. */
export function callHandler(
  handler: KinesisStreamHandler,
  event: KinesisStreamEvent,
  context: Context,
): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    const callback = (err?: unknown, result?: unknown): void => (err ? reject(err) : resolve(result));
    try {
      const returned: unknown = handler(event, context, callback as Parameters<KinesisStreamHandler>[2]);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(resolve, reject);
      } else if (handler.length < 3) {
        resolve(returned);
      }
    } catch (err) {
      reject(err);
    }
  });
}

/** Invokes `handler` on records and judges the answer; a thrown error is an `error` verdict. */
export async function invokeHandler(
  handler: KinesisStreamHandler,
  records: readonly RunnerRecord[],
  source: SourceInfo,
  opts: { functionName: string; timeoutMs: number; reportBatchItemFailures: boolean },
): Promise<InvocationVerdict> {
  try {
    const response = await callHandler(
      handler,
      toKinesisEvent(records, source),
      localContext(opts.functionName, opts.timeoutMs),
    );
    return judgeResponse(records, response, opts.reportBatchItemFailures);
  } catch (err) {
    const name =
      err instanceof Error
        ? ('code' in err && typeof err.code === 'string' && err.code) || err.name
        : typeof err;
    return { kind: 'error', reason: `handler threw ${name}` };
  }
}
