import type { IncomingMessage } from 'node:http';
import { type Readable, Readable as ReadableStream } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { DecodeResult } from '../../ingest/decode.js';
import type { IngestError } from '../../ingest/errors.js';
import type { Pipeline } from '../pipeline.js';
import { capEnvelope, capEvent, type RequestBudget } from './budget.js';
import { HTTP_ERROR_CODES as C, HttpError } from './errors.js';

/** Chunks of a stream as it is read; ending early leaves the stream alone (the socket still answers). */
async function* chunksOf(s: Readable): AsyncGenerator<Buffer> {
  for (;;) {
    const c = s.read() as Buffer | null;
    if (c !== null) {
      yield c;
      continue;
    }
    if (s.readableEnded) return;
    if (s.errored) throw s.errored;
    if (s.destroyed) throw new HttpError(400, C.badRequest, 'the client went away before the body ended');
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        s.off('readable', done);
        s.off('end', done);
        s.off('close', done);
        s.off('error', fail);
        resolve();
      };
      const fail = (err: unknown): void => {
        done();
        reject(err);
      };
      s.on('readable', done);
      s.on('end', done);
      s.on('close', done);
      s.on('error', fail);
    });
  }
}

/**
 * The body of `req` as it arrives, decompressed (`Content-Encoding: gzip`; anything but gzip or
 * none is refused with 415), within the request's budgets: past `maxBodyBytes` on the wire or
 * `maxDecodedBytes` inflated, 413. Chunks come only as fast as the caller takes them
 * (back-pressure reaches the client through TCP).
 */
export async function* bodyChunks(req: IncomingMessage, budget: RequestBudget): AsyncGenerator<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new HttpError(
      415,
      C.unsupportedMedia,
      `Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not supported: expected gzip or none`,
    );
  }
  const max = budget.limits.maxBodyBytes;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max)
    throw new HttpError(413, C.tooLarge, `the body is larger than ${max} bytes (http.max_body_bytes)`);
  async function* wire(): AsyncGenerator<Buffer> {
    let size = 0;
    for await (const c of chunksOf(req)) {
      size += c.length;
      if (size > max)
        throw new HttpError(413, C.tooLarge, `the body is larger than ${max} bytes (http.max_body_bytes)`);
      yield c;
    }
  }
  let source: Readable;
  let piped: Promise<void> | undefined;
  if (encoding === 'gzip') {
    const gz = createGunzip();
    piped = pipeline(ReadableStream.from(wire()), gz);
    piped.catch(() => {}); // its error reaches the reader below through gz
    source = gz;
  } else source = ReadableStream.from(wire(), { objectMode: false });
  try {
    for await (const c of chunksOf(source)) {
      budget.spendDecoded(c.length);
      yield c;
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (encoding === 'gzip' && (err as { code?: string }).code?.startsWith('Z_'))
      throw new HttpError(400, C.badRequest, 'the gzip body is invalid or cut off');
    throw err;
  } finally {
    source.destroy();
  }
}

/** The whole body (for the one-JSON formats), within the same budgets. */
export async function readAll(req: IncomingMessage, budget: RequestBudget): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of bodyChunks(req, budget)) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

/** Largest slice of a CloudWatch envelope queued at once (so one huge payload cannot hold the queue). */
const ENVELOPE_SLICE = 1000;

/**
 * Hands what one request decoded to the pipeline, in order, applying the per-event budgets
 * (truncation, counted) and the per-request ones (413). Each `submit` waits for room in the
 * queue, which is what holds the reading of the body back.
 */
export class RequestSubmitter {
  accepted = 0;
  rejected = 0;
  #lines: { text: string; id: string }[] = [];

  constructor(
    private readonly pipeline: Pipeline,
    private readonly budget: RequestBudget,
    private readonly source: string,
  ) {}

  /** Queues one raw line (batched); `false` when the pipeline is stopping. */
  async line(text: string, id: string): Promise<boolean> {
    this.budget.spendEvents(1);
    const c = capEvent(text, this.budget.limits);
    if (c.truncated) this.budget.truncated += 1;
    this.#lines.push({ text: c.text, id });
    return this.#lines.length >= 500 ? this.flush() : true;
  }

  /** Queues the raw lines held so far. */
  async flush(): Promise<boolean> {
    if (this.#lines.length === 0) return true;
    const lines = this.#lines;
    this.#lines = [];
    if (!(await this.pipeline.submit({ kind: 'lines', source: this.source, lines }))) return false;
    this.accepted += lines.length;
    return true;
  }

  /** Queues one decoded payload, or dead-letters it with its original bytes (`raw`). */
  async payload(result: DecodeResult, raw: string | Uint8Array): Promise<boolean> {
    this.budget.check(result);
    if (!(await this.flush())) return false;
    if (result.kind === 'control') {
      this.pipeline.skipControl();
      return true;
    }
    if (result.kind === 'error') {
      this.rejected += 1;
      await this.pipeline.rejectRecord(raw, result.error as IngestError);
      return true;
    }
    const { envelope, truncated } = capEnvelope(result.envelope, this.budget.limits);
    this.budget.truncated += truncated;
    this.budget.spendEvents(envelope.logEvents.length);
    for (let i = 0; i < envelope.logEvents.length || i === 0; i += ENVELOPE_SLICE) {
      const slice = { ...envelope, logEvents: envelope.logEvents.slice(i, i + ENVELOPE_SLICE) };
      if (!(await this.pipeline.submit({ kind: 'envelope', envelope: slice }))) return false;
      this.accepted += slice.logEvents.length;
    }
    return true;
  }
}
