import type { CloudWatchLogsEvent, FirehoseTransformationEvent, KinesisStreamEvent } from 'aws-lambda';
import { describeValue } from '../core/errors.js';
import { type DecodeOptions, type DecodeResult, decodeCwlData } from './decode.js';
import { INGEST_ERROR_CODES as C, IngestError } from './errors.js';

/** One decoded record of a Kinesis event. */
export interface KinesisDecoded {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly result: DecodeResult;
}

/** One decoded record of a Firehose transformation event. */
export interface FirehoseDecoded {
  readonly recordId: string;
  readonly result: DecodeResult;
}

const missing = (what: string, value: unknown): DecodeResult => ({
  kind: 'error',
  error: new IngestError(C.recordInvalid, `${what} is ${describeValue(value)}; expected a base64 string`),
});

const asString = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Decodes every record of a Lambda `KinesisStreamEvent` whose data are CloudWatch Logs
 * subscription payloads. One result per record, in order; a bad record is an `error` result
 * and never affects the others.
 */
export function decodeKinesisEvent(e: KinesisStreamEvent, o?: DecodeOptions): KinesisDecoded[] {
  const records: unknown = (e as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return [];
  return records.map((r: unknown) => {
    const k = (r as { kinesis?: Record<string, unknown> } | null)?.kinesis;
    const data = k?.['data'];
    return {
      sequenceNumber: asString(k?.['sequenceNumber']),
      partitionKey: asString(k?.['partitionKey']),
      result: typeof data === 'string' ? decodeCwlData(data, o) : missing('kinesis.data', data),
    };
  });
}

/**
 * Decodes every record of a Firehose transformation event (CloudWatch Logs → Firehose). One
 * result per record, in order.
 */
export function decodeFirehoseEvent(e: FirehoseTransformationEvent, o?: DecodeOptions): FirehoseDecoded[] {
  const records: unknown = (e as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) return [];
  return records.map((r: unknown) => {
    const rec = r as Record<string, unknown> | null;
    const data = rec?.['data'];
    return {
      recordId: asString(rec?.['recordId']),
      result: typeof data === 'string' ? decodeCwlData(data, o) : missing('record data', data),
    };
  });
}

/** Decodes the `awslogs.data` of a CloudWatch Logs → Lambda subscription event. */
export function decodeAwslogsEvent(e: CloudWatchLogsEvent, o?: DecodeOptions): DecodeResult {
  const data: unknown = (e as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
  return typeof data === 'string' ? decodeCwlData(data, o) : missing('awslogs.data', data);
}
