import type { LogEvent } from '../../transform/schema.js';
import { getPath, splitPath } from '../path.js';
import { compileAuthorRegex } from '../regex.js';
import type { Condition } from './config.js';

/** A compiled condition: a pure predicate over an event. */
export type Predicate = (event: LogEvent) => boolean;

function numeric(segments: readonly string[], test: (n: number) => boolean): Predicate {
  return (e) => {
    const v = getPath(e, segments);
    return typeof v === 'number' && test(v);
  };
}

/**
 * Compiles a validated {@link Condition} into a predicate (once; the per-event work is path
 * lookups and comparisons only). A missing field is never an error: comparisons on it are
 * false, `exists: false` is true.
 */
export function compileCondition(c: Condition): Predicate {
  if (c.and) {
    const parts = c.and.map(compileCondition);
    return (e) => parts.every((p) => p(e));
  }
  if (c.or) {
    const parts = c.or.map(compileCondition);
    return (e) => parts.some((p) => p(e));
  }
  if (c.not) {
    const inner = compileCondition(c.not);
    return (e) => !inner(e);
  }
  const segments = splitPath(c.field ?? '');
  if (c.equals !== undefined) {
    const want = c.equals;
    return (e) => getPath(e, segments) === want;
  }
  if (c.in !== undefined) {
    const set = new Set<unknown>(c.in);
    return (e) => {
      const v = getPath(e, segments);
      return v !== undefined && set.has(v);
    };
  }
  if (c.matches !== undefined) {
    const re = compileAuthorRegex(c.matches);
    return (e) => {
      const v = getPath(e, segments);
      return typeof v === 'string' && re.test(v);
    };
  }
  if (c.exists !== undefined) {
    const want = c.exists;
    return (e) => {
      const v = getPath(e, segments);
      return (v !== undefined && v !== null) === want;
    };
  }
  if (c.gt !== undefined) {
    const x = c.gt;
    return numeric(segments, (n) => n > x);
  }
  if (c.gte !== undefined) {
    const x = c.gte;
    return numeric(segments, (n) => n >= x);
  }
  if (c.lt !== undefined) {
    const x = c.lt;
    return numeric(segments, (n) => n < x);
  }
  if (c.lte !== undefined) {
    const x = c.lte;
    return numeric(segments, (n) => n <= x);
  }
  throw new TypeError('condition has no operator (it was not validated)');
}
