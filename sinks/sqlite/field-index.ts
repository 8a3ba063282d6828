/**
 * The field index: the tokens the contentless FTS5 table `fields_fts` holds for an event (layout
 * 3), so that terms, `field:*` and numeric ranges on fields held only in `doc` are index lookups
 * instead of a `json_extract` over every row. Every token is a letter and a 32-bit hash in base 36
 * (see `attributes.ts`); a hash can collide, so the search checks each candidate against the stored
 * event and results stay exact. The tokens of an event are a superset of what it matches:
 *
 * - `a…` (key, value) of each `attributes.*` leaf (`attributes.ts`, as in layout 2);
 * - `k…` (path, value) of each string or boolean value of the schema fields in {@link TERM_FIELDS};
 * - `x…` (path) of each field present: every object, array and leaf under `attributes`, and the
 *   schema fields in {@link EXISTS_FIELDS};
 * - `n…` (path, bucket: a quarter of a power of two) of each number: a range is the OR of the
 *   buckets it spans,
 *   for a number under `attributes` also under its parent key (a range on an object compares its
 *   members, see `search/sqlite-query.ts`).
 */
import { attributeHash, attributePairs, attributeToken, MAX_INDEXED_VALUE_CHARS } from './attributes.js';

/**
 * The schema fields whose string and boolean values are tokens (`k…`): those whose values are
 * sparse or many (log stream, error type, …). Fields of a few values that each cover a large part
 * of the events (`log.format`, `faas.name`, the log group, the account) are left out — an index
 * lookup of millions of rows is no faster than walking them — as are per-event ids, times and
 * long text.
 */
export const TERM_FIELDS: ReadonlySet<string> = new Set([
  'log.logger',
  'log.truncated',
  'aws.cloudwatch.log_stream',
  'error.type',
  'faas.coldstart',
  'lambda.platform',
  'lambda.version',
  'redaction.rules',
  'route',
]);

/** The schema fields with a token for being present (`x…`): those most events do not have. */
export const EXISTS_FIELDS: ReadonlySet<string> = new Set([
  'log.logger',
  'log.truncated',
  'error.type',
  'error.message',
  'error.stack_trace',
  'faas.coldstart',
  'lambda.platform',
  'lambda.version',
  'lambda.report.duration_ms',
  'lambda.report.billed_duration_ms',
  'lambda.report.memory_size_mb',
  'lambda.report.max_memory_used_mb',
  'lambda.report.init_duration_ms',
  'redaction.rules',
  'route',
  'span.id',
]);

/**
 * The keyword fields with a value dictionary (`field-stats.ts`): those with field-index terms
 * whose values are strings.
 */
export const DICTIONARY_FIELDS: ReadonlySet<string> = new Set(
  [...TERM_FIELDS].filter((f) => f !== 'log.truncated' && f !== 'faas.coldstart'),
);

/** The schema's number fields (`n…` tokens). */
export const NUMBER_FIELDS: ReadonlySet<string> = new Set([
  'lambda.report.duration_ms',
  'lambda.report.billed_duration_ms',
  'lambda.report.memory_size_mb',
  'lambda.report.max_memory_used_mb',
  'lambda.report.init_duration_ms',
]);

/** The schema paths with tokens, grouped by their first segment (most events lack most groups). */
const SCHEMA_GROUPS: readonly {
  head: string;
  paths: readonly { path: string; rest: readonly string[] }[];
}[] = (() => {
  const groups = new Map<string, { path: string; rest: string[] }[]>();
  for (const path of new Set([...TERM_FIELDS, ...EXISTS_FIELDS, ...NUMBER_FIELDS])) {
    const [head = '', ...rest] = path.split('.');
    groups.set(head, [...(groups.get(head) ?? []), { path, rest }]);
  }
  return [...groups].map(([head, paths]) => ({ head, paths }));
})();

const hash36 = (path: string, value: string): string => (attributeHash(path, value) >>> 0).toString(36);

/**
 * Tokens already made, per kind, path and value (most field values repeat from event to event;
 * nested maps spare building a key string per lookup); emptied when full.
 */
const made: Record<'k' | 'x' | 'n', Map<string, Map<string, string>>> = {
  k: new Map(),
  x: new Map(),
  n: new Map(),
};
let madeSize = 0;
const MADE_MAX = 50_000;
function memo(kind: 'k' | 'x' | 'n', path: string, value: string): string {
  let byValue = made[kind].get(path);
  let t = byValue?.get(value);
  if (t === undefined) {
    if (madeSize >= MADE_MAX) {
      for (const m of Object.values(made)) m.clear();
      madeSize = 0;
      byValue = undefined;
    }
    if (byValue === undefined) {
      byValue = new Map();
      made[kind].set(path, byValue);
    }
    t = `${kind}${hash36(path, value)}`;
    byValue.set(value, t);
    madeSize++;
  }
  return t;
}

/** The token of a string or boolean `value` of a field outside `attributes`. Pure. */
export const termToken = (path: string, value: string): string => memo('k', path, value);
/** The token of a field being present (`field:*`). Pure. */
export const existsToken = (path: string): string => memo('x', path, '');
/** The token of a number of `path` in bucket `bucket` (see {@link numberBucket}). Pure. */
export const numberToken = (path: string, bucket: string): string => memo('n', path, bucket);

/** Buckets per power of two: a range's edge buckets hold at most a fifth more than it asks for. */
const STEPS = 4;
const MIN_STEP = -32 * STEPS;
const MAX_STEP = 64 * STEPS;

/**
 * The bucket of a number: `z` for 0, `p<k>` / `m<k>` for ±[2^(k/4), 2^((k+1)/4)), `k` clamped to
 * ±2^-32 … 2^64 (the end buckets take everything beyond). Pure.
 */
export function numberBucket(v: number): string {
  if (v === 0) return 'z';
  const k = Math.max(MIN_STEP, Math.min(MAX_STEP, Math.floor(Math.log2(Math.abs(v)) * STEPS)));
  return `${v < 0 ? 'm' : 'p'}${k}`;
}

/** Every bucket, smallest values first, with the least value it can hold. */
const BUCKETS: readonly { label: string; min: number }[] = [
  ...Array.from({ length: MAX_STEP - MIN_STEP + 1 }, (_, i) => {
    const k = MAX_STEP - i;
    return { label: `m${k}`, min: k === MAX_STEP ? Number.NEGATIVE_INFINITY : -(2 ** ((k + 1) / STEPS)) };
  }),
  { label: 'z', min: 0 },
  ...Array.from({ length: MAX_STEP - MIN_STEP + 1 }, (_, i) => {
    const k = MIN_STEP + i;
    return { label: `p${k}`, min: k === MIN_STEP ? Number.MIN_VALUE : 2 ** (k / STEPS) };
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
 * What the number rollups and value dictionaries (`field-stats.ts`) count of an event, gathered by
 * the same walk as its field-index tokens ({@link fieldIndex}); flat (path, value) pairs, in the
 * order they are met (the order paths are registered in).
 */
export interface FieldFacts {
  /**
   * (path, number) of each finite number a rollup counts: the schema's number fields, then each
   * `attributes.*` path holding a plain number (not under a key with a dot: `attributes.a.b` reads
   * {a: {b}}); (path, `null`) for an `attributes.*` path holding an object or array with a number
   * member (a range on it compares the members, so the rollups do not answer it).
   */
  readonly numbers: (string | number | null)[];
  /** (field, value) of each value of the {@link DICTIONARY_FIELDS} (array elements one by one). */
  readonly values: unknown[];
}

/** An event's field-index tokens and the facts its field statistics count. */
export interface FieldIndexEntry {
  /** The text `fields_fts` indexes: the distinct tokens, space-separated ('' when tokens were not asked for). */
  readonly tokens: string;
  readonly facts: FieldFacts;
}

/** The state of one walk: the token set (none when only the facts are asked for) and the facts. */
interface Walk {
  readonly out: Set<string> | undefined;
  readonly numbers: (string | number | null)[];
}

/**
 * One node under `attributes` (depth 2 for the top-level keys, nodes down to depth 16): its
 * present-field token, its number buckets (a plain number also under its parent key), and, when
 * `counted`, its facts for the number rollups.
 */
function walkAttribute(
  v: unknown,
  path: string,
  parent: string | undefined,
  depth: number,
  counted: boolean,
  w: Walk,
): void {
  if (v === null || v === undefined) return;
  w.out?.add(existsToken(path));
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (counted && keys.some((k) => typeof v[k] === 'number')) w.numbers.push(path, null);
    if (depth < 16)
      for (const k of keys)
        walkAttribute(v[k], `${path}.${k}`, path, depth + 1, counted && !k.includes('.'), w);
    return;
  }
  if (Array.isArray(v)) {
    let numbers = false;
    for (const x of v) {
      if (typeof x !== 'number') continue;
      numbers = true;
      if (w.out && Number.isFinite(x)) w.out.add(numberToken(path, numberBucket(x)));
    }
    if (counted && numbers) w.numbers.push(path, null);
    return;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return;
  if (w.out) {
    const bucket = numberBucket(v);
    w.out.add(numberToken(path, bucket));
    if (parent !== undefined) w.out.add(numberToken(parent, bucket));
  }
  if (counted) w.numbers.push(path, v);
}

/**
 * An event's field-index tokens (unless `tokens` is false) and its field-statistics facts, in one
 * walk of the event (a whole event, or a stored `doc` without its column values). Pure.
 */
export function fieldIndex(event: unknown, tokens = true): FieldIndexEntry {
  const w: Walk = { out: tokens ? new Set<string>() : undefined, numbers: [] };
  const values: unknown[] = [];
  if (!isObject(event)) return { tokens: '', facts: { numbers: w.numbers, values } };
  const out = w.out;
  if (out) for (const [k, v] of attributePairs(event.attributes)) out.add(attributeToken(k, v));
  for (const { head, paths } of SCHEMA_GROUPS) {
    const top = event[head];
    if (top === null || top === undefined) continue;
    for (const { path, rest } of paths) {
      let v: unknown = top;
      for (const seg of rest) v = isObject(v) ? v[seg] : undefined;
      if (v === null || v === undefined) continue;
      if (DICTIONARY_FIELDS.has(path)) {
        if (Array.isArray(v)) for (const x of v) values.push(path, x);
        else values.push(path, v);
      }
      if (isObject(v)) continue;
      if (typeof v === 'number' && Number.isFinite(v) && NUMBER_FIELDS.has(path)) w.numbers.push(path, v);
      if (!out) continue;
      if (EXISTS_FIELDS.has(path)) out.add(existsToken(path));
      for (const x of Array.isArray(v) ? v : [v]) {
        if (typeof x === 'number' && Number.isFinite(x)) {
          if (NUMBER_FIELDS.has(path)) out.add(numberToken(path, numberBucket(x)));
        } else if ((typeof x === 'string' || typeof x === 'boolean') && TERM_FIELDS.has(path)) {
          const text = String(x);
          if (text.length <= MAX_INDEXED_VALUE_CHARS) out.add(termToken(path, text));
        }
      }
    }
  }
  if (isObject(event.attributes))
    for (const [ak, av] of Object.entries(event.attributes))
      walkAttribute(av, `attributes.${ak}`, undefined, 2, !ak.includes('.'), w);
  return { tokens: out ? [...out].join(' ') : '', facts: { numbers: w.numbers, values } };
}

/** The text `fields_fts` indexes for an event: its distinct tokens, space-separated. Pure. */
export const fieldTokens = (event: unknown): string => fieldIndex(event).tokens;
