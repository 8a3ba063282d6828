import type { TransactionSeed } from './context.js';
import {
  headerValue,
  seed,
  TRANSACTION_HEADER,
  transactionFromHeaders,
  transactionFromJsonText,
  transactionFromPayload,
} from './extract.js';
import { cleanTransactionId, parseTraceparent, parseXRayRoot } from './ids.js';

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const get = (o: unknown, key: string): unknown => (isObj(o) && Object.hasOwn(o, key) ? o[key] : undefined);

/** Reads a message attribute (SQS `stringValue`, SNS `Value`), case-insensitively. */
function attribute(attrs: unknown, name: string): string | undefined {
  if (!isObj(attrs)) return undefined;
  for (const key of Object.keys(attrs)) {
    if (key.toLowerCase() !== name) continue;
    const a = attrs[key];
    const v = get(a, 'stringValue') ?? get(a, 'StringValue') ?? get(a, 'Value');
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/** Merges seeds: the first one that has a field wins it. */
function first(...seeds: TransactionSeed[]): TransactionSeed {
  let id: string | undefined;
  let traceId: string | undefined;
  let flags: string | undefined;
  for (const s of seeds) {
    id ??= s.id;
    if (traceId === undefined && s.traceId !== undefined) {
      traceId = s.traceId;
      flags = s.traceFlags;
    }
  }
  return seed(id, traceId, flags);
}

/** An SQS record: message attributes `x-transaction-id` / `traceparent`, `AWSTraceHeader`, else the JSON body. */
function fromSqsRecord(r: Obj): TransactionSeed {
  const attrs = get(r, 'messageAttributes');
  const tp = parseTraceparent(attribute(attrs, 'traceparent'));
  const fromAttrs = seed(
    cleanTransactionId(attribute(attrs, TRANSACTION_HEADER)) ?? tp?.traceId,
    tp?.traceId ?? parseXRayRoot(get(get(r, 'attributes'), 'AWSTraceHeader')),
    tp?.flags,
  );
  return first(fromAttrs, transactionFromJsonText(get(r, 'body')));
}

/** An SNS record: message attributes, else the JSON message. */
function fromSnsRecord(r: Obj): TransactionSeed {
  const sns = get(r, 'Sns');
  const attrs = get(sns, 'MessageAttributes');
  const tp = parseTraceparent(attribute(attrs, 'traceparent'));
  const fromAttrs = seed(
    cleanTransactionId(attribute(attrs, TRANSACTION_HEADER)) ?? tp?.traceId,
    tp?.traceId,
    tp?.flags,
  );
  return first(fromAttrs, transactionFromJsonText(get(sns, 'Message')));
}

/** A Kinesis record: its base64 data as a JSON object. */
function fromKinesisRecord(r: Obj): TransactionSeed {
  const data = get(get(r, 'kinesis'), 'data');
  if (typeof data !== 'string' || data.length > 349_528) return {};
  return transactionFromJsonText(Buffer.from(data, 'base64').toString('utf8'));
}

/**
 * The transaction one record of a batch event carries (SQS, SNS, Kinesis, or anything with a JSON
 * payload). Use it with `runInTransaction` to log each record of a batch in its own transaction.
 */
export function transactionFromRecord(record: unknown): TransactionSeed {
  if (!isObj(record)) return {};
  const source = get(record, 'eventSource') ?? get(record, 'EventSource');
  if (source === 'aws:sqs') return fromSqsRecord(record);
  if (source === 'aws:sns') return fromSnsRecord(record);
  if (source === 'aws:kinesis') return fromKinesisRecord(record);
  return transactionFromPayload(record);
}

/**
 * The transaction an incoming Lambda event carries, recognising:
 * - API Gateway REST (v1) and HTTP (v2) APIs, ALB, function URLs: the request headers;
 * - SQS, SNS and Kinesis batches: the records' transaction when they all agree, else none (a
 *   fresh one is started; log each record in its own with `transactionFromRecord`);
 * - EventBridge events: the `detail` payload;
 * - any other object (direct invoke, Step Functions): its top-level payload fields.
 */
export function transactionFromEvent(event: unknown): TransactionSeed {
  if (!isObj(event)) return {};
  if (isObj(event.requestContext) || Object.hasOwn(event, 'httpMethod')) {
    const headers = isObj(event.headers) ? event.headers : {};
    const multi = isObj(event.multiValueHeaders) ? event.multiValueHeaders : undefined;
    // REST APIs with multi-value headers enabled may leave `headers` without the value.
    const merged =
      multi && headerValue(headers, TRANSACTION_HEADER) === undefined ? { ...multi, ...headers } : headers;
    return transactionFromHeaders(merged);
  }
  if (Array.isArray(event.Records)) {
    const seeds = event.Records.map(transactionFromRecord);
    const id = seeds[0]?.id;
    if (id === undefined || seeds.some((s) => s.id !== id)) return {};
    return seeds[0]!;
  }
  if (Object.hasOwn(event, 'detail-type') && isObj(event.detail)) return transactionFromPayload(event.detail);
  return transactionFromPayload(event);
}
