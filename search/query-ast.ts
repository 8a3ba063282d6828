/**
 * The syntax tree of the trace explorer's query language (`docs/query.md`). Produced by
 * `parseQuery` (`query.ts`), written back by `formatQuery` (`query-print.ts`), translated by the
 * SQLite (`sqlite-query.ts`) and OpenSearch (`opensearch-query.ts`) backends — one function per
 * leaf kind in each. Field paths are resolved (aliases replaced) and known to the schema.
 */

/** Matches every event (the empty query, `*`). */
export interface AllNode {
  readonly kind: 'all';
}
/** Every child holds (`a b`, `a AND b`). At least two children. */
export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly QueryNode[];
}
/** At least one child holds (`a OR b`). At least two children. */
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly QueryNode[];
}
/** The child does not hold (`-a`, `NOT a`); an event without the field is not excluded. */
export interface NotNode {
  readonly kind: 'not';
  readonly child: QueryNode;
}
/**
 * A field equals one of `values` (`service.name:orders`, `level:warn,error`), or starts with one
 * (`service:pay*`). Keyword, number, boolean and `attributes.*` fields; exact and case-sensitive
 * (`log.level` is lower-cased).
 */
export interface TermNode {
  readonly kind: 'term';
  readonly field: string;
  readonly values: readonly string[];
  readonly prefix: boolean;
}
/**
 * Text in the message / error (`timeout`, `"card declined"`, `message:timeout`): tokens matched
 * case-insensitively, the last one as a prefix unless the text was quoted without `*`.
 * `field` is undefined for free text (message, error type, error message, stack trace).
 */
export interface TextNode {
  readonly kind: 'text';
  readonly value: string;
  /** Written in quotes: the tokens must match whole (unless `prefix`). */
  readonly quoted: boolean;
  /** Written with a trailing `*`. */
  readonly prefix: boolean;
  readonly field?: 'message' | 'error.message' | 'error.stack_trace';
}
/** A value a range compares with: a number, a string, an absolute time or a time relative to now. */
export type RangeValue =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'time'; readonly epochMs: number }
  /** `now-5m` is `{amount: -5, unit: 'm'}`; `now` is `{amount: 0, unit: 's'}`. */
  | { readonly type: 'relative'; readonly amount: number; readonly unit: TimeUnit };
/** Units of relative times (`now-30s`, `now-5m`, `now-2h`, `now-7d`, `now-1w`). */
export type TimeUnit = 's' | 'm' | 'h' | 'd' | 'w';
/** One end of a range. */
export interface RangeBound {
  readonly value: RangeValue;
  readonly inclusive: boolean;
}
/** `duration>100`, `@timestamp>=now-5m`, `lambda.report.duration_ms:[100 TO 500]`. */
export interface RangeNode {
  readonly kind: 'range';
  readonly field: string;
  readonly lower?: RangeBound;
  readonly upper?: RangeBound;
}
/** The field is present (`error.type:*`). */
export interface ExistsNode {
  readonly kind: 'exists';
  readonly field: string;
}

/** A node of a parsed query. */
export type QueryNode = AllNode | AndNode | OrNode | NotNode | TermNode | TextNode | RangeNode | ExistsNode;

/** A parsed query (the tree's root). */
export interface ParsedQuery {
  readonly root: QueryNode;
}

/** Milliseconds per relative-time unit. */
export const UNIT_MS: Readonly<Record<TimeUnit, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A range value as epoch ms (times) / number / string, relative times resolved against `now`. */
export function resolveRangeValue(v: RangeValue, now: number): number | string {
  switch (v.type) {
    case 'number':
      return v.value;
    case 'string':
      return v.value;
    case 'time':
      return v.epochMs;
    case 'relative':
      return now + v.amount * UNIT_MS[v.unit];
  }
}

/**
 * A bare word that looks like an id (UUID, W3C trace/span id, X-Ray trace id, or a word of ≥ 8
 * characters mixing letters and digits with `-`/`_`, like `tx-00042`): free text of that shape is
 * also looked up in the id fields, so an id pasted alone finds its events.
 */
export function idShaped(word: string): boolean {
  if (word.length < 8 || word.length > 128) return false;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(word)) return false;
  return /[0-9]/.test(word) && (/[A-Za-z]/.test(word) || /[-_]/.test(word) || word.length >= 16);
}
