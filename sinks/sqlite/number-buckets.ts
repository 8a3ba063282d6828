/**
 * The number buckets of the number rollups (`rollup_number`, see `number-rollup.ts`): two
 * significant decimal digits wide, with the round number itself kept apart. A number `v` with
 * `m × 10^k ≤ |v| < (m + 1) × 10^k` (m = 10 … 99) is in the **point** bucket of `m × 10^k` when it
 * equals it, else in the **open** bucket between the two. So a range whose bounds have at most two
 * significant digits (`>100`, `<=2.5`, `:[0.05 TO 1500]`) is a set of whole buckets, for `>` as for
 * `>=`, and is answered from the rollups alone; another bound (`>1234`) leaves one open bucket at
 * that end whose events are checked one by one.
 *
 * A bucket is an integer, in the order of the numbers it holds: 0 for 0, ±1 for 0 < |v| < 1e-30,
 * ±(2 + 2i) / ±(3 + 2i) for the point / open bucket of the i-th two-digit step from 1e-30 up, and
 * ±{@link HUGE} for |v| ≥ 1e31 (negative numbers mirrored).
 */

const MIN_EXP = -30;
const MAX_EXP = 30;
const STEPS_PER_DECADE = 90;
/** The bucket of |v| ≥ 1e31. */
export const HUGE = 2 + (MAX_EXP - MIN_EXP + 1) * STEPS_PER_DECADE * 2;

/**
 * `m × 10^k` as the double the decimal text `me{k}` reads as (what a typed bound parses to); kept
 * per (m, k) under a number key (m ≤ 100, |k| ≤ 31), so a lookup makes no string.
 */
const steps = new Map<number, number>();
function step(m: number, k: number): number {
  const key = (k + 64) * 128 + m;
  let v = steps.get(key);
  if (v === undefined) {
    v = Number(`${m}e${k}`);
    steps.set(key, v);
  }
  return v;
}

/** The bucket of a finite number. Pure. */
export function decimalBucket(v: number): number {
  if (v === 0) return 0;
  const a = Math.abs(v);
  const sign = v < 0 ? -1 : 1;
  if (a < 1e-30) return sign;
  if (a >= 1e31) return sign * HUGE;
  let e = Math.max(MIN_EXP, Math.min(MAX_EXP, Math.floor(Math.log10(a))));
  let m = Math.max(10, Math.min(99, Math.floor(a / 10 ** (e - 1))));
  // log10 and the division round: settle on the step with step(m) ≤ a < step(m + 1) exactly.
  for (let i = 0; i < 4 && a < step(m, e - 1); i++) if (--m < 10) [m, e] = [99, e - 1];
  for (let i = 0; i < 4 && a >= step(m + 1, e - 1); i++) if (++m > 99) [m, e] = [10, e + 1];
  const index = (e - MIN_EXP) * STEPS_PER_DECADE + (m - 10);
  return sign * (2 + 2 * index + (a === step(m, e - 1) ? 0 : 1));
}

/** True when every number of `bucket` is one and the same (0, or a round number). Pure. */
export const isPointBucket = (bucket: number): boolean => {
  const a = Math.abs(bucket);
  return a === 0 || (a >= 2 && a < HUGE && a % 2 === 0);
};

/** One end of a numeric range. */
export interface NumberBound {
  readonly value: number;
  readonly inclusive: boolean;
}

/** Which buckets a numeric range covers: whole ones (interior) and at most two to check. */
export interface BucketCover {
  /** Buckets b with `above < b < below` hold only numbers in the range (undefined: no limit). */
  readonly above?: number;
  readonly below?: number;
  /** Point buckets at the ends that are wholly in the range too. */
  readonly points: readonly number[];
  /** Open buckets that hold numbers in and out of the range: their events are checked. */
  readonly partial: readonly number[];
  /** True when the range can hold no number (its ends cross). */
  readonly empty: boolean;
}

/**
 * The SQL condition on the `bucket` column of `rollup_number` for the buckets wholly inside
 * `cover` (`above < bucket < below`) or among `points`, and its parameters in order. Pure.
 */
export function bucketCondition(
  cover: BucketCover,
  points: readonly number[],
): { sql: string; params: number[] } {
  const within: string[] = [];
  const params: number[] = [];
  if (cover.above !== undefined) {
    within.push('bucket > ?');
    params.push(cover.above);
  }
  if (cover.below !== undefined) {
    within.push('bucket < ?');
    params.push(cover.below);
  }
  const terms = [within.length > 0 ? `(${within.join(' AND ')})` : '1'];
  if (points.length > 0) {
    terms.push(`bucket IN (${points.map(() => '?').join(',')})`);
    params.push(...points);
  }
  return { sql: terms.join(' OR '), params };
}

/** The buckets a range `[lower, upper]` (either end open when undefined) covers. Pure. */
export function coverBuckets(lower: NumberBound | undefined, upper: NumberBound | undefined): BucketCover {
  const points: number[] = [];
  const partial: number[] = [];
  const lo = lower === undefined ? undefined : decimalBucket(lower.value);
  const hi = upper === undefined ? undefined : decimalBucket(upper.value);
  const empty =
    lower !== undefined &&
    upper !== undefined &&
    (lower.value > upper.value || (lower.value === upper.value && !(lower.inclusive && upper.inclusive)));
  if (empty) return { above: lo, below: lo, points, partial, empty };
  for (const [b, bound] of [
    [lo, lower],
    [hi, upper],
  ] as const) {
    if (b === undefined || bound === undefined) continue;
    if (isPointBucket(b)) {
      if (bound.inclusive && !points.includes(b)) points.push(b);
    } else if (!partial.includes(b)) partial.push(b);
  }
  return { above: lo, below: hi, points, partial, empty };
}

/**
 * The numbers an open bucket holds, as a range (an end undefined when unbounded), for checking its
 * events. Pure.
 */
export function openBucketRange(bucket: number): { lower?: NumberBound; upper?: NumberBound } {
  const a = Math.abs(bucket);
  let lower: NumberBound;
  let upper: NumberBound | undefined;
  if (a === 1)
    [lower, upper] = [
      { value: 0, inclusive: false },
      { value: 1e-30, inclusive: false },
    ];
  else if (a >= HUGE) [lower, upper] = [{ value: 1e31, inclusive: true }, undefined];
  else {
    const index = (a - 3) / 2;
    const e = Math.floor(index / STEPS_PER_DECADE) + MIN_EXP;
    const m = (index % STEPS_PER_DECADE) + 10;
    lower = { value: step(m, e - 1), inclusive: false };
    upper = { value: step(m + 1, e - 1), inclusive: false };
  }
  if (bucket > 0) return { lower, ...(upper ? { upper } : {}) };
  const neg = (b: NumberBound): NumberBound => ({ value: -b.value, inclusive: b.inclusive });
  return { ...(upper ? { lower: neg(upper) } : {}), upper: neg(lower) };
}
