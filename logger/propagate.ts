import { currentTransaction } from './context.js';
import { TRANSACTION_HEADER } from './extract.js';
import { formatTraceparent } from './ids.js';

const W3C_TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * Headers that carry the current transaction to the next component: `x-transaction-id` and, when
 * the trace is a W3C one, a `traceparent` with a fresh span id. Empty outside a transaction.
 */
export function transactionHeaders(): Record<string, string> {
  const tx = currentTransaction();
  if (tx === undefined) return {};
  const out: Record<string, string> = { [TRANSACTION_HEADER]: tx.id };
  if (tx.traceId !== undefined && W3C_TRACE_ID.test(tx.traceId)) {
    out.traceparent = formatTraceparent(tx.traceId, tx.traceFlags);
  }
  return out;
}

/** The `fetch` signature (global `fetch` or a compatible one). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetch` so every call carries {@link transactionHeaders} (headers the caller set itself win).
 * ```ts
 * const fetch = tracedFetch();   // wraps globalThis.fetch
 * await fetch('https://billing.internal/charge', { method: 'POST', body });
 * ```
 */
export function tracedFetch(fetchImpl: FetchLike = globalThis.fetch): FetchLike {
  return (input, init) => {
    const extra = transactionHeaders();
    if (Object.keys(extra).length === 0) return fetchImpl(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of Object.entries(extra)) if (!headers.has(name)) headers.set(name, value);
    return fetchImpl(input, { ...init, headers });
  };
}

/** An SQS/SNS message attribute value in the AWS SDK v3 shape. */
export interface MessageAttribute {
  readonly DataType: 'String';
  readonly StringValue: string;
}

/**
 * Message attributes that carry the current transaction on an SQS `SendMessage` (or SNS `Publish`):
 * merge them into `MessageAttributes`. `existing` attributes with the same names win.
 * ```ts
 * await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageAttributes: transactionAttributes() }));
 * ```
 */
export function transactionAttributes<A extends object = MessageAttribute>(
  existing: Readonly<Record<string, A>> = {},
): Record<string, A | MessageAttribute> {
  const out: Record<string, A | MessageAttribute> = {};
  for (const [name, value] of Object.entries(transactionHeaders())) {
    out[name] = { DataType: 'String', StringValue: value } satisfies MessageAttribute;
  }
  return { ...out, ...existing };
}

/**
 * A JSON payload (Kinesis record data, EventBridge `detail`, a message body) with the current
 * transaction id added as `transactionId` (and `traceparent`), unless it already has one.
 * ```ts
 * Data: Buffer.from(JSON.stringify(withTransaction({ orderId })))
 * ```
 */
export function withTransaction<T extends object>(
  payload: T,
): T & { transactionId?: string; traceparent?: string } {
  const headers = transactionHeaders();
  const id = headers[TRANSACTION_HEADER];
  if (id === undefined) return payload;
  return {
    transactionId: id,
    ...(headers.traceparent !== undefined && { traceparent: headers.traceparent }),
    ...payload,
  };
}
