/** A field of events as a flat, dotted path and its value as text (what a filter on it matches). */
export type FlatFields = ReadonlyMap<string, string>;

/** Deepest nesting flattened; deeper objects are kept as JSON text. */
const MAX_DEPTH = 16;

/**
 * The leaf fields of an event as dotted paths (`attributes.http.status`) with their values as
 * text: strings as they are, numbers and booleans written out, `null` as `null`; an array is one
 * field holding its JSON (a filter on an array field is not meaningful). Insertion order. Pure.
 */
export function flattenEvent(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, path: string, depth: number): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
      for (const [k, child] of Object.entries(v as Record<string, unknown>))
        walk(child, path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    if (path === '') return;
    if (typeof v === 'string') out.set(path, v);
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) out.set(path, String(v));
    else if (v !== undefined) out.set(path, JSON.stringify(v));
  };
  walk(value, '', 0);
  return out;
}

/** How often one value occurs in a sample. */
export interface ValueCount {
  readonly value: string;
  readonly count: number;
}

/** One field seen in a sample: in how many of its events, and its most frequent values. */
export interface FieldSummary {
  readonly field: string;
  /** Events of the sample that have the field. */
  readonly count: number;
  /** Distinct values seen (counted up to {@link MAX_DISTINCT}). */
  readonly distinct: number;
  /** Most frequent values, most frequent first (ties by value). */
  readonly top: readonly ValueCount[];
}

/** Distinct values tracked per field; past it, further new values are not counted. */
const MAX_DISTINCT = 1000;
/** Fields summarised at most (the rest of a very wide sample is left out, most present first). */
const MAX_FIELDS = 500;

/**
 * Top values of every field present in a sample of events, like Discover's field list ("top 5
 * values in 500 sample records"). Fields sorted by name. Pure.
 */
export function summarizeFields(events: readonly unknown[], top = 5): FieldSummary[] {
  const byField = new Map<string, Map<string, number>>();
  const present = new Map<string, number>();
  for (const e of events) {
    for (const [field, value] of flattenEvent(e)) {
      present.set(field, (present.get(field) ?? 0) + 1);
      let counts = byField.get(field);
      if (!counts) {
        counts = new Map();
        byField.set(field, counts);
      }
      const n = counts.get(value);
      if (n !== undefined) counts.set(value, n + 1);
      else if (counts.size < MAX_DISTINCT) counts.set(value, 1);
    }
  }
  return [...present.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_FIELDS)
    .map(([field, count]) => {
      const counts = byField.get(field) ?? new Map<string, number>();
      const values = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, top)
        .map(([value, c]) => ({ value, count: c }));
      return { field, count, distinct: counts.size, top: values };
    })
    .sort((a, b) => (a.field < b.field ? -1 : 1));
}
