import type { CloudWatchLogsEvent, FirehoseTransformationEvent, KinesisStreamEvent } from 'aws-lambda';
import { decodeAwslogsEvent, decodeFirehoseEvent, decodeKinesisEvent } from './aws-events.js';
import { type DecodeOptions, type DecodeResult, decodeCwlData, decodeEnvelopeValue } from './decode.js';

/** The shapes an input line of `sluice process` can have. */
export const LINE_KINDS = [
  'raw',
  'cwl_json',
  'kinesis_event',
  'firehose_event',
  'awslogs_event',
  'kinesis_data',
] as const;
/** One of {@link LINE_KINDS}. */
export type LineKind = (typeof LINE_KINDS)[number];

/** One decoded payload of a line, labelled for error reports (e.g. `record 2`). */
export interface LinePayload {
  readonly label: string;
  readonly result: DecodeResult;
}

/** What an input line holds: a raw log line, or CloudWatch Logs payloads. */
export type DetectedLine =
  | { readonly kind: 'raw' }
  | { readonly kind: Exclude<LineKind, 'raw'>; readonly payloads: readonly LinePayload[] };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MARKERS = ['"messageType"', '"Records"', '"records"', '"awslogs"'];

const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Auto-detects one input line: a CloudWatch Logs subscription payload as JSON (`messageType`),
 * a Lambda Kinesis / Firehose / CloudWatch Logs (`awslogs`) event as JSON, a base64 Kinesis
 * record (base64 of gzip, `H4sI…`), or else a raw log line. Payloads are decoded here; a JSON
 * line that is none of the event shapes is a raw (JSON) log line. Never throws.
 */
export function detectLine(text: string, opts?: DecodeOptions): DetectedLine {
  const start = firstNonSpaceIndex(text);
  if (start === -1) return { kind: 'raw' };
  const c = text.charCodeAt(start);
  if (c === 123 /* { */) {
    if (!MARKERS.some((m) => text.includes(m))) return { kind: 'raw' };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: 'raw' };
    }
    if (!isRec(value)) return { kind: 'raw' };
    if (typeof value['messageType'] === 'string') {
      return { kind: 'cwl_json', payloads: [{ label: 'payload', result: decodeEnvelopeValue(value) }] };
    }
    if (isRec(value['awslogs'])) {
      return {
        kind: 'awslogs_event',
        payloads: [
          {
            label: 'awslogs.data',
            result: decodeAwslogsEvent(value as unknown as CloudWatchLogsEvent, opts),
          },
        ],
      };
    }
    const records = value['Records'];
    if (
      Array.isArray(records) &&
      records.length > 0 &&
      records.every((r) => isRec(r) && isRec(r['kinesis']))
    ) {
      const decoded = decodeKinesisEvent(value as unknown as KinesisStreamEvent, opts);
      return {
        kind: 'kinesis_event',
        payloads: decoded.map((d, i) => ({ label: `record ${i + 1}`, result: d.result })),
      };
    }
    const fh = value['records'];
    if (Array.isArray(fh) && fh.length > 0 && fh.every((r) => isRec(r) && 'recordId' in r && 'data' in r)) {
      const decoded = decodeFirehoseEvent(value as unknown as FirehoseTransformationEvent, opts);
      return {
        kind: 'firehose_event',
        payloads: decoded.map((d, i) => ({ label: `record ${i + 1}`, result: d.result })),
      };
    }
    return { kind: 'raw' };
  }
  if (c === 72 /* H */ && text.startsWith('H4sI', start)) {
    const b64 = start === 0 ? text.trimEnd() : text.trim();
    if (b64.length % 4 === 0 && BASE64.test(b64)) {
      return { kind: 'kinesis_data', payloads: [{ label: 'record', result: decodeCwlData(b64, opts) }] };
    }
  }
  return { kind: 'raw' };
}

function firstNonSpaceIndex(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return i;
  }
  return -1;
}
