import type { Context } from 'aws-lambda';
import { transactionFromEvent } from './aws-events.js';
import { runInTransaction, type TransactionSeed } from './context.js';
import { parseXRayRoot } from './ids.js';
import type { LoggerEnv } from './levels.js';
import type { Logger } from './logger.js';

/** An async Lambda handler. */
export type AsyncHandler<E, R> = (event: E, context: Context) => Promise<R> | R;

/** Options of {@link withLambda}. */
export interface LambdaOptions {
  /**
   * Log an error the handler throws (at `error`, with the invocation's context) before it is
   * re-thrown to the runtime. Default `true`.
   */
  readonly logErrors?: boolean;
  /** Where `_X_AMZN_TRACE_ID` and `AWS_LAMBDA_INITIALIZATION_TYPE` are read. Default: `process.env`. */
  readonly env?: LoggerEnv;
}

/**
 * Wraps a Lambda handler so every line of an invocation carries its context:
 * `faas.execution` (request id), `faas.name` (function name), `faas.coldstart` (first
 * invocation of this execution environment, false under provisioned concurrency), `trace.id`
 * (W3C `traceparent` of the incoming event, else the X-Ray root of `_X_AMZN_TRACE_ID`) and
 * `transaction.id` (read from the event — headers, SQS/SNS attributes, Kinesis data, EventBridge
 * detail — else fresh). The logger is flushed before the invocation returns or throws.
 * ```ts
 * export const handler = withLambda(log, async (event) => { log.info('hello'); });
 * ```
 */
export function withLambda<E, R>(
  logger: Logger,
  handler: AsyncHandler<E, R>,
  options: LambdaOptions = {},
): (event: E, context: Context) => Promise<R> {
  const env = options.env ?? process.env;
  let coldStart = env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';
  const logErrors = options.logErrors ?? true;
  return async (event, context) => {
    const coldstart = coldStart;
    coldStart = false;
    const incoming = transactionFromEvent(event);
    const xray = parseXRayRoot(env._X_AMZN_TRACE_ID);
    const seed: TransactionSeed = {
      id: incoming.id,
      traceId: incoming.traceId ?? xray,
      traceFlags: incoming.traceId !== undefined ? incoming.traceFlags : undefined,
      faas: { execution: context.awsRequestId, name: context.functionName, coldstart },
    };
    try {
      return await runInTransaction(seed, async () => {
        try {
          return await handler(event, context);
        } catch (err) {
          if (logErrors) logger.error({ err }, 'invocation failed'); // a thrown non-Error is kept as `err`, never as the message
          throw err;
        }
      });
    } finally {
      logger.flush();
    }
  };
}
