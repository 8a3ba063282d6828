import { randomBytes, randomUUID } from 'node:crypto';

/**
 * What a transaction id read from outside may look like: 1–128 characters of letters, digits and
 * `. _ : -` (UUIDs, ULIDs, X-Ray ids, most request ids). Anything else is ignored and a fresh id
 * is started, so a caller cannot inject arbitrary text into every line of a transaction.
 */
const TRANSACTION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** W3C trace context `traceparent`: version-traceid-parentid-flags (lower-case hex). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/;
/** The `Root=` part of an X-Ray trace header. */
const XRAY_ROOT = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})(?:;|\s*$)/;
const ALL_ZERO_32 = '0'.repeat(32);
const ALL_ZERO_16 = '0'.repeat(16);

/** Returns `value` when it is an acceptable transaction id, else `undefined`. */
export function cleanTransactionId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return typeof value === 'string' && TRANSACTION_ID.test(value) ? value : undefined;
}

/** A parsed W3C `traceparent` header. */
export interface Traceparent {
  /** 32 lower-case hex digits. */
  readonly traceId: string;
  /** 16 lower-case hex digits: the caller's span. */
  readonly parentId: string;
  /** 2 hex digits (`01` = sampled). */
  readonly flags: string;
}

/** Parses a W3C `traceparent` header; `undefined` when it is missing or invalid. */
export function parseTraceparent(value: unknown): Traceparent | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, parentId, flags] = m as unknown as [string, string, string, string, string];
  if (version === 'ff' || traceId === ALL_ZERO_32 || parentId === ALL_ZERO_16) return undefined;
  // Version 00 has exactly four fields; later versions may append more.
  if (version === '00' && value.trim().length !== 55) return undefined;
  return { traceId, parentId, flags };
}

/** Builds a `traceparent` header for an outgoing call: the trace id, a fresh span id, the flags. */
export function formatTraceparent(traceId: string, flags = '01'): string {
  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}

/** Reads the `Root=1-…-…` trace id from an X-Ray trace header (`_X_AMZN_TRACE_ID`, `AWSTraceHeader`). */
export function parseXRayRoot(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  return XRAY_ROOT.exec(value)?.[1];
}

/** A fresh transaction id (a random UUID v4). */
export function newTransactionId(): string {
  return randomUUID();
}
