import { DEFAULT_TRANSACTION_ID_FIELDS } from '../transform/normalize.js';
import type { TransactionSeed } from './context.js';
import { cleanTransactionId, parseTraceparent, parseXRayRoot } from './ids.js';

/** The HTTP header carrying the transaction id, read and written by the helpers. */
export const TRANSACTION_HEADER = 'x-transaction-id';
/** Also accepted on incoming requests, after {@link TRANSACTION_HEADER}. */
const ALT_HEADERS = ['x-correlation-id'] as const;

/**
 * Field names of a JSON payload (Kinesis data, EventBridge `detail`, SQS body, a direct invoke)
 * that carry the transaction id, in order: the transform stage's own defaults (so what a
 * component reads is what the pipeline indexes; dotted names are nested paths), then
 * `x-transaction-id`.
 */
export const PAYLOAD_TRANSACTION_FIELDS: readonly string[] = [
  ...DEFAULT_TRANSACTION_ID_FIELDS,
  TRANSACTION_HEADER,
];
const PAYLOAD_PATHS = PAYLOAD_TRANSACTION_FIELDS.map((name) => name.split('.'));

/** Headers as node:http, fetch `Headers`, or API Gateway / ALB hand them over. */
export type HeadersLike = { get(name: string): string | null } | Readonly<Record<string, unknown>>;

/** Reads one header, case-insensitively; the first value of a repeated header. */
export function headerValue(headers: HeadersLike | null | undefined, name: string): string | undefined {
  if (headers === null || headers === undefined) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, unknown>>;
  let value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The transaction of an incoming HTTP request: `x-transaction-id` (or `x-correlation-id`), else
 * the trace id of a W3C `traceparent`; `trace.id` from `traceparent`, else an X-Ray
 * `x-amzn-trace-id` header. Invalid values are ignored.
 */
export function transactionFromHeaders(headers: HeadersLike | null | undefined): TransactionSeed {
  let id = cleanTransactionId(headerValue(headers, TRANSACTION_HEADER));
  for (const alt of ALT_HEADERS) id ??= cleanTransactionId(headerValue(headers, alt));
  const tp = parseTraceparent(headerValue(headers, 'traceparent'));
  const traceId = tp?.traceId ?? parseXRayRoot(headerValue(headers, 'x-amzn-trace-id'));
  return seed(id ?? tp?.traceId, traceId, tp?.flags);
}

/**
 * The transaction carried by a JSON payload object: the first of
 * {@link PAYLOAD_TRANSACTION_FIELDS} that holds a valid id, and a `traceparent` field.
 */
export function transactionFromPayload(payload: unknown): TransactionSeed {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return {};
  const obj = payload as Readonly<Record<string, unknown>>;
  let id: string | undefined;
  for (const path of PAYLOAD_PATHS) {
    id = cleanTransactionId(valueAtPath(obj, path));
    if (id !== undefined) break;
  }
  const tp = parseTraceparent(Object.hasOwn(obj, 'traceparent') ? obj.traceparent : undefined);
  return seed(id ?? tp?.traceId, tp?.traceId, tp?.flags);
}

/** Parses `text` as a JSON object payload when it looks like one (≤ 256 KiB); else `{}`. */
export function transactionFromJsonText(text: unknown): TransactionSeed {
  if (typeof text !== 'string' || text.length > 262_144 || text.trimStart()[0] !== '{') return {};
  try {
    return transactionFromPayload(JSON.parse(text));
  } catch {
    return {};
  }
}

/** Builds a seed without `undefined` members. */
export function seed(id?: string, traceId?: string, traceFlags?: string): TransactionSeed {
  return {
    ...(id !== undefined && { id }),
    ...(traceId !== undefined && { traceId }),
    ...(traceId !== undefined && traceFlags !== undefined && { traceFlags }),
  };
}

function valueAtPath(obj: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
