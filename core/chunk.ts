/**
 * Splits `items`, in order, into runs of at most `maxCount` items whose `bytes` add up to at most
 * `maxBytes`. An item larger than `maxBytes` travels alone (the receiver decides what to do with
 * it). Pure.
 */
export function chunkBySize<T extends { readonly bytes: number }>(
  items: readonly T[],
  maxBytes: number,
  maxCount: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (bytes + item.bytes > maxBytes || current.length >= maxCount)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
