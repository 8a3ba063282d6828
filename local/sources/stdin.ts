import { INGEST_ERROR_CODES, IngestError } from '../../ingest/errors.js';
import { readLineBatches } from '../../ingest/lines.js';
import { parseNdjsonBody } from '../http/ingest-formats.js';
import type { Pipeline } from '../pipeline.js';

/** Longest stdin line accepted (longer ones are dead-lettered as too long). */
const MAX_LINE_BYTES = 1024 * 1024;

/**
 * The stdin source (`node app.js | sluice start --stdin`): reads lines in batches, each a raw
 * log line or a CloudWatch payload / Lambda event as JSON (same detection as `sluice process`),
 * and queues them — awaiting the queue, so a full queue pauses the reading (backpressure).
 * Resolves at end of input or when `signal` aborts.
 */
export async function readStdin(
  input: NodeJS.ReadableStream,
  pipeline: Pipeline,
  signal: AbortSignal,
): Promise<void> {
  const run = `stdin-${Date.now()}`;
  const onAbort = (): void => {
    (input as { destroy?: () => void }).destroy?.();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const batch of readLineBatches(input as AsyncIterable<Uint8Array>, {
      maxLineBytes: MAX_LINE_BYTES,
    })) {
      const texts: string[] = [];
      let first = 0;
      for (const line of batch) {
        if (!('text' in line)) {
          await pipeline.rejectRecord(
            '',
            new IngestError(
              INGEST_ERROR_CODES.lineTooLong,
              `stdin line ${line.number} of ${line.bytes} bytes exceeds ${MAX_LINE_BYTES} bytes`,
            ),
          );
          continue;
        }
        if (texts.length === 0) first = line.number;
        texts.push(line.text);
      }
      if (texts.length === 0) continue;
      // Ids are numbered by the line's position on stdin within this run.
      const units = parseNdjsonBody(texts.join('\n'), `${run}:${first}`);
      for (const u of units) {
        if (u.kind === 'lines') {
          if (!(await pipeline.submit({ kind: 'lines', source: 'stdin', lines: u.lines }))) return;
        } else if (u.result.kind === 'data') {
          if (!(await pipeline.submit({ kind: 'envelope', envelope: u.result.envelope }))) return;
        } else if (u.result.kind === 'control') pipeline.skipControl();
        else await pipeline.rejectRecord(u.raw ?? '', u.result.error);
      }
      if (signal.aborted) return;
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
