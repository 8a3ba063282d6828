/**
 * The field index: the tokens the contentless FTS5 table `fields_fts` holds for an event (layout
 * 3), so that terms, `field:*` and numeric ranges on fields held only in `doc` are index lookups
 * instead of a `json_extract` over every row. Every token is a letter and a 32-bit hash in base 36
 * (see `attributes.ts`); a hash can collide, so the search checks each candidate against the stored
 * event and results stay exact. The tokens of an event are a superset of what it matches:
 *
 * - `a…` (key, value) of each `attributes.*` leaf (`attributes.ts`, as in layout 2);
 * - `k…` (path, value) of each string or boolean leaf of the other fields, except the ones that are
 *   unique per event or long text ({@link NO_TERM}) and those held in columns;
 * - `x…` (path) of each field present: every object, array and leaf under `attributes`, and the
 *   schema's leaves except those nearly every event has ({@link NO_EXISTS});
 * - `n…` (path, power-of-two bucket) of each number: a range is the OR of the buckets it spans,
 *   for a number under `attributes` also under its parent key (a range on an object compares its
 *   members, see `search/sqlite-query.ts`).
 */
import { attributeHash, attributeTokens, MAX_INDEXED_VALUE_CHARS } from './attributes.js';
import { COLUMN_FIELDS } from './columns.js';

/** Fields whose values are not indexed as terms: unique per event, long text, or indexed elsewhere. */
export const NO_TERM: ReadonlySet<string> = new Set([
  '@timestamp',
  'event.ingested',
  'message',
  'error.message',
  'error.stack_trace',
  'faas.execution',
  'span.id',
]);

/** Fields (nearly) every event has: their exists token would list every event, so there is none. */
export const NO_EXISTS: ReadonlySet<string> = new Set([
  '@timestamp',
  'message',
  'event.ingested',
  'log.format',
  'aws.cloudwatch.log_group',
  'aws.cloudwatch.log_stream',
  'cloud.account.id',
  'cloud.region',
  'faas.name',
]);

const hash36 = (path: string, value: string): string => (attributeHash(path, value) >>> 0).toString(36);

/** The token of a string or boolean `value` of a field outside `attributes`. Pure. */
export const termToken = (path: string, value: string): string => `k${hash36(path, value)}`;
/** The token of a field being present (`field:*`). Pure. */
export const existsToken = (path: string): string => `x${hash36(path, '')}`;
/** The token of a number of `path` in bucket `bucket` (see {@link numberBucket}). Pure. */
export const numberToken = (path: string, bucket: string): string => `n${hash36(path, bucket)}`;

const MIN_EXP = -32;
const MAX_EXP = 64;

/** The power-of-two bucket of a number: `z` for 0, `p<e>` / `m<e>` for ±[2^e, 2^(e+1)). Pure. */
export function numberBucket(v: number): string {
  if (v === 0) return 'z';
  const e = Math.max(MIN_EXP, Math.min(MAX_EXP, Math.floor(Math.log2(Math.abs(v)))));
  return `${v < 0 ? 'm' : 'p'}${e}`;
}

/** Every bucket, smallest values first, with the least value it can hold. */
const BUCKETS: readonly { label: string; min: number }[] = [
  ...Array.from({ length: MAX_EXP - MIN_EXP + 1 }, (_, i) => {
    const e = MAX_EXP - i;
    return { label: `m${e}`, min: e === MAX_EXP ? Number.NEGATIVE_INFINITY : -(2 ** (e + 1)) };
  }),
  { label: 'z', min: 0 },
  ...Array.from({ length: MAX_EXP - MIN_EXP + 1 }, (_, i) => {
    const e = MIN_EXP + i;
    return { label: `p${e}`, min: e === MIN_EXP ? Number.MIN_VALUE : 2 ** e };
  }),
];

/**
 * The buckets a number in [`lo`, `hi`] (either side open when undefined) can be in, with one more
 * on each side so that rounding in `log2` never loses a value. Pure.
 */
export function bucketsBetween(lo: number | undefined, hi: number | undefined): string[] {
  const first = lo === undefined ? 0 : Math.max(0, BUCKETS.findLastIndex((b) => b.min <= lo) - 1);
  let last = BUCKETS.length - 1;
  if (hi !== undefined) {
    const i = BUCKETS.findLastIndex((b) => b.min <= hi);
    last = Math.min(BUCKETS.length - 1, Math.max(0, i) + 1);
  }
  return BUCKETS.slice(first, last + 1).map((b) => b.label);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The text `fields_fts` indexes for an event (a whole event, or a stored `doc` without its column
 * values): its distinct tokens, space-separated. Pure.
 */
export function fieldTokens(event: unknown): string {
  if (!isObject(event)) return '';
  const out = new Set<string>();
  const attrs = attributeTokens(event.attributes);
  if (attrs !== '') for (const t of attrs.split(' ')) out.add(t);
  const walkSchema = (v: unknown, path: string, depth: number): void => {
    if (v === null || v === undefined || depth > 16) return;
    if (Object.hasOwn(COLUMN_FIELDS, path)) return;
    if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) walkSchema(x, path === '' ? k : `${path}.${k}`, depth + 1);
      return;
    }
    if (!NO_EXISTS.has(path)) out.add(existsToken(path));
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeof x === 'number' && Number.isFinite(x)) out.add(numberToken(path, numberBucket(x)));
      else if ((typeof x === 'string' || typeof x === 'boolean') && !NO_TERM.has(path)) {
        const text = String(x);
        if (text.length <= MAX_INDEXED_VALUE_CHARS) out.add(termToken(path, text));
      }
    }
  };
  const walkAttributes = (v: unknown, path: string, parent: string | undefined, depth: number): void => {
    if (v === null || v === undefined || depth > 16) return;
    out.add(existsToken(path));
    if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) walkAttributes(x, `${path}.${k}`, path, depth + 1);
      return;
    }
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeof x !== 'number' || !Number.isFinite(x)) continue;
      const bucket = numberBucket(x);
      out.add(numberToken(path, bucket));
      if (!Array.isArray(v) && parent !== undefined) out.add(numberToken(parent, bucket));
    }
  };
  for (const [k, v] of Object.entries(event)) {
    if (k !== 'attributes') walkSchema(v, k, 1);
    else if (isObject(v))
      for (const [ak, av] of Object.entries(v)) walkAttributes(av, `attributes.${ak}`, undefined, 2);
  }
  return [...out].join(' ');
}
