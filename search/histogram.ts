/** Readable histogram intervals, in milliseconds, smallest first. */
const NICE_INTERVALS_MS: readonly number[] = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000,
];

/**
 * Picks the smallest readable interval that splits `[from, to)` into at most `buckets` buckets
 * (a week when even that is too fine).
 */
export function pickInterval(from: number, to: number, buckets: number): number {
  const span = Math.max(1, to - from);
  const wanted = Math.max(1, Math.floor(buckets));
  for (const ms of NICE_INTERVALS_MS) if (span / ms <= wanted) return ms;
  return Math.ceil(span / wanted / 604_800_000) * 604_800_000;
}

/** Start of the bucket that holds `t` (buckets are aligned on multiples of the interval). */
const bucketStart = (t: number, intervalMs: number): number => Math.floor(t / intervalMs) * intervalMs;

/**
 * Fills in the empty buckets between `from` and `to`, so a chart shows silences as zeros.
 * `counts` maps a bucket start to its counts.
 */
export function fillBuckets(
  from: number,
  to: number,
  intervalMs: number,
  counts: ReadonlyMap<number, { count: number; errors: number }>,
): { start: number; count: number; errors: number }[] {
  const out: { start: number; count: number; errors: number }[] = [];
  const last = bucketStart(Math.max(from, to - 1), intervalMs);
  for (let t = bucketStart(from, intervalMs); t <= last; t += intervalMs) {
    const c = counts.get(t);
    out.push({ start: t, count: c?.count ?? 0, errors: c?.errors ?? 0 });
  }
  return out;
}
