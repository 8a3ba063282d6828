import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type DecodeOptions, type DecodeResult, decodeCwlData } from '../../ingest/decode.js';
import { detectLine } from '../../ingest/detect.js';
import { INGEST_ERROR_CODES, IngestError } from '../../ingest/errors.js';
import { readLineBatches } from '../../ingest/lines.js';
import type { RequestBudget } from './budget.js';
import { HTTP_ERROR_CODES, HttpError } from './errors.js';
import type { RequestSubmitter } from './ingest-body.js';

/** One unit decoded from an HTTP ingest request, before it reaches the pipeline. */
export type IngestUnit =
  | { readonly kind: 'result'; readonly result: DecodeResult; readonly raw: string | Uint8Array }
  | { readonly kind: 'lines'; readonly lines: readonly { readonly text: string; readonly id: string }[] };

/** Deterministic id of a raw line: sha256 of the batch key and the line number. */
const lineId = (batch: string, n: number): string =>
  createHash('sha256').update(`${batch}\n${n}`).digest('hex').slice(0, 40);

/**
 * Splits an NDJSON body into units: each line may be a raw log line (any shape the normaliser
 * knows) or a CloudWatch Logs payload / Lambda event as JSON — the same auto-detection as
 * `sluice process`. Raw lines get ids from `batch` (the `X-Sluice-Batch-Id` header when the client
 * sends one, so a resent batch is recognised as duplicates). Pure.
 */
export function parseNdjsonBody(text: string, batch: string, opts?: DecodeOptions): IngestUnit[] {
  const units: IngestUnit[] = [];
  let lines: { text: string; id: string }[] = [];
  const flush = (): void => {
    if (lines.length > 0) units.push({ kind: 'lines', lines });
    lines = [];
  };
  text.split('\n').forEach((piece, i) => {
    const line = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
    if (!/\S/.test(line)) return;
    const detected = detectLine(line, opts);
    if (detected.kind === 'raw') {
      lines.push({ text: line, id: lineId(batch, i + 1) });
      return;
    }
    flush();
    // A rejected payload keeps the bytes of its whole line (replayable as it was sent).
    const raw = Buffer.from(line, 'utf8');
    for (const p of detected.payloads) units.push({ kind: 'result', result: p.result, raw });
  });
  flush();
  return units;
}

/**
 * Reads one CloudWatch Logs subscription body: a `DATA_MESSAGE`/`CONTROL_MESSAGE` as JSON, a
 * Lambda `{awslogs:{data}}` event, a Lambda Kinesis or Firehose transformation event, or the
 * base64 gzip payload itself. Anything else is an `error` unit. Pure.
 */
export function parseCwlBody(text: string, opts?: DecodeOptions): IngestUnit[] {
  const detected = detectLine(text.trim(), opts);
  const raw = Buffer.from(text, 'utf8');
  if (detected.kind === 'raw') {
    return [
      {
        kind: 'result',
        raw,
        result: {
          kind: 'error',
          error: new IngestError(
            INGEST_ERROR_CODES.recordInvalid,
            'the body is not a CloudWatch Logs subscription payload: expected a DATA_MESSAGE JSON, an {awslogs:{data}} event, a Kinesis/Firehose event or base64 gzip data',
          ),
        },
      },
    ];
  }
  return detected.payloads.map((p) => ({ kind: 'result', result: p.result, raw }));
}

/** The Kinesis Data Firehose HTTP endpoint delivery request body. */
const FirehoseRequestSchema = z
  .object({
    requestId: z.string().min(1).max(256),
    timestamp: z.number(),
    records: z.array(z.object({ data: z.string() }).passthrough()),
  })
  .passthrough();

/** A Firehose delivery request, decoded record by record. */
export interface FirehoseRequest {
  readonly requestId: string;
  readonly units: IngestUnit[];
}

const GZIP_B64 = 'H4sI';

/**
 * Decodes a Firehose HTTP endpoint delivery request. Each record's `data` is base64 of a
 * CloudWatch Logs subscription payload (gzip, or JSON when the stream decompresses), or — for
 * a stream fed by direct PUTs — newline-separated raw log lines. Throws {@link IngestError} when
 * the body is not a delivery request at all (the endpoint answers 400). Pure.
 */
export function parseFirehoseBody(
  text: string,
  headerRequestId: string | undefined,
  opts?: DecodeOptions,
): FirehoseRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new IngestError(
      INGEST_ERROR_CODES.jsonInvalid,
      'the body is not JSON: expected a Firehose delivery request {requestId, timestamp, records}',
    );
  }
  const parsed = FirehoseRequestSchema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new IngestError(
      INGEST_ERROR_CODES.recordInvalid,
      `not a Firehose delivery request (problems at ${where}): expected {requestId, timestamp, records:[{data}]}`,
    );
  }
  const requestId = headerRequestId ?? parsed.data.requestId;
  const units: IngestUnit[] = [];
  parsed.data.records.forEach((record, r) => {
    const data = record.data;
    const decodedText = data.startsWith(GZIP_B64) ? undefined : tryText(data);
    if (decodedText !== undefined && !decodedText.trimStart().startsWith('{"messageType"')) {
      const lines = decodedText
        .split('\n')
        .map((l, i) => ({
          text: l.endsWith('\r') ? l.slice(0, -1) : l,
          id: lineId(`${requestId}/${r}`, i + 1),
        }))
        .filter((l) => /\S/.test(l.text));
      if (lines.length > 0) units.push({ kind: 'lines', lines });
      return;
    }
    units.push({ kind: 'result', result: decodeCwlData(data, opts), raw: data });
  });
  return { requestId, units };
}

/** Base64 that decodes to printable UTF-8 text (not gzip), else undefined. */
function tryText(data: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return undefined;
  const buf = Buffer.from(data, 'base64');
  if (buf.length === 0 || (buf[0] === 0x1f && buf[1] === 0x8b)) return undefined;
  const text = buf.toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

/** The Firehose response body for a delivery request (success, or failure with a reason). */
export function firehoseResponse(requestId: string, now: number, errorMessage?: string): string {
  return JSON.stringify(
    errorMessage === undefined ? { requestId, timestamp: now } : { requestId, timestamp: now, errorMessage },
  );
}

/**
 * Streams an NDJSON body into the pipeline line by line (the reading waits while the queue is
 * full): the same detection and ids as {@link parseNdjsonBody}, with the request's budgets. A
 * rejected payload is dead-lettered with the bytes of its line. `false` when the pipeline stopped.
 */
export async function ingestNdjson(
  chunks: AsyncIterable<Buffer>,
  batch: string,
  submitter: RequestSubmitter,
  budget: RequestBudget,
): Promise<boolean> {
  const decode = budget.decodeOptions();
  for await (const lines of readLineBatches(chunks, { maxLineBytes: budget.limits.maxDecodedBytes })) {
    for (const l of lines) {
      if (!('text' in l)) {
        throw new HttpError(
          413,
          HTTP_ERROR_CODES.tooLarge,
          `line ${l.number} is longer than the request budget`,
        );
      }
      if (!/\S/.test(l.text)) continue;
      const detected = detectLine(l.text, decode);
      if (detected.kind === 'raw') {
        if (!(await submitter.line(l.text, lineId(batch, l.number)))) return false;
        continue;
      }
      const raw = Buffer.from(l.text, 'utf8');
      for (const p of detected.payloads) if (!(await submitter.payload(p.result, raw))) return false;
    }
  }
  return submitter.flush();
}
