/** One input line, numbered from 1. */
export type InputLine =
  | { readonly number: number; readonly text: string }
  | { readonly number: number; readonly tooLong: true; readonly bytes: number };

/** Options of {@link readLineBatches}. */
export interface ReadLinesOptions {
  /** Lines longer than this (bytes, without the line break) are reported `tooLong`, never buffered. */
  readonly maxLineBytes: number;
}

/** Default {@link ReadLinesOptions.maxLineBytes}: 16 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Splits a byte stream (a file, stdin) into lines, in batches (one per chunk) so a consumer can
 * work synchronously between reads. Memory stays bounded by the chunk size plus `maxLineBytes`:
 * an over-long line is skipped while it streams by and reported with its length. Lines end at
 * `\n`; a trailing `\r` is removed; text is decoded as UTF-8 (invalid bytes become U+FFFD).
 */
export async function* readLineBatches(
  input: AsyncIterable<Uint8Array | string>,
  opts: ReadLinesOptions = { maxLineBytes: DEFAULT_MAX_LINE_BYTES },
): AsyncGenerator<InputLine[]> {
  const max = opts.maxLineBytes;
  let parts: Buffer[] = [];
  let pending = 0; // bytes of the current (unfinished) line, also when over-long
  let number = 0;
  const finish = (piece: Buffer, batch: InputLine[]): void => {
    number++;
    const bytes = pending + piece.length;
    if (bytes > max) {
      batch.push({ number, tooLong: true, bytes });
    } else {
      let buf = parts.length === 0 ? piece : Buffer.concat([...parts, piece], bytes);
      if (buf.length > 0 && buf[buf.length - 1] === 13) buf = buf.subarray(0, buf.length - 1);
      batch.push({ number, text: buf.toString('utf8') });
    }
    parts = [];
    pending = 0;
  };
  for await (const chunk of input) {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const batch: InputLine[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) {
        const rest = buf.subarray(start);
        if (rest.length > 0) {
          if (pending + rest.length <= max) parts.push(rest);
          else parts = [];
          pending += rest.length;
        }
        break;
      }
      finish(buf.subarray(start, nl), batch);
      start = nl + 1;
    }
    if (batch.length > 0) yield batch;
  }
  if (pending > 0) {
    const batch: InputLine[] = [];
    finish(Buffer.alloc(0), batch);
    yield batch;
  }
}
