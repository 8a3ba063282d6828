/**
 * How the sink handler cuts a batch into slices: consecutive records of about a number of
 * inflated bytes, each slice decoded and written before the next is decoded, so an invocation's
 * memory is bounded by the slice rather than the batch (docs/lambda.md, "Memory"). The transform
 * slices by log text instead (`DEFAULT_TRANSFORM_SLICE_BYTES`), within records too.
 */

/**
 * Default slice size of the sink: 16 MiB of NDJSON, 16 events records as the transform packs
 * them (≤ 1 MiB each). A batch of 6 MB of gzip records can carry 100 MiB of events and more.
 */
export const DEFAULT_SLICE_BYTES = 16 * 1024 * 1024;

/**
 * The inflated size a record's gzip trailer announces (ISIZE, the last 4 bytes, read from the
 * tail of its base64 text without decoding the rest), else the size of the decoded bytes. Only
 * sizes the slices: untrusted, never a bound (the decoders' maximum output lengths are).
 */
export function inflatedSizeHint(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const approx = Math.floor((data.length * 3) / 4);
  if (data.length < 32) return approx;
  const head = Buffer.from(data.slice(0, 4), 'base64');
  if (head[0] !== 0x1f || head[1] !== 0x8b) return approx;
  const tail = Buffer.from(data.slice(-8), 'base64');
  return tail.length >= 4 ? Math.max(approx, tail.readUInt32LE(tail.length - 4)) : approx;
}
