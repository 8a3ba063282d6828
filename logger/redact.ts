import type pino from 'pino';
import {
  compileGlob,
  normaliseKey,
  SECRET_KEY_MASK,
  SECRET_KEY_PATTERNS,
} from '../filters/redact/secret-keys.js';

/** What a secret key's value is replaced with: the pipeline's default-pack mask. */
export const REDACTION_CENSOR = SECRET_KEY_MASK;

/** The secret key-name globs shared with the pipeline's default redaction pack. */
export const DEFAULT_SECRET_KEYS = SECRET_KEY_PATTERNS;

const MEMO_LIMIT = 10_000;

/** Redacts secret keys in a line's fields; returns the input itself when nothing matched. */
export type KeyRedactor = (fields: Record<string, unknown>) => Record<string, unknown>;

/**
 * Compiles key-name globs (the pipeline's syntax: normalised names, `*` wildcards) into a function
 * that masks the value of every matching key on the line and in the plain objects and arrays
 * below it, down to `depth` levels. Copy on write: the caller's objects are never changed, and a
 * line without secrets costs one walk and no allocation. Key decisions are memoised (keys repeat
 * from line to line). Errors, dates, buffers and class instances are not entered (their
 * serialisers decide what they write).
 */
export function compileKeyRedactor(patterns: readonly string[], depth: number): KeyRedactor | undefined {
  if (patterns.length === 0) return undefined;
  const globs = patterns.map((p) => compileGlob(normaliseKey(p)));
  const memo = new Map<string, boolean>();
  const isSecret = (key: string): boolean => {
    let hit = memo.get(key);
    if (hit === undefined) {
      const norm = normaliseKey(key);
      hit = globs.some((g) => g(norm));
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, hit);
    }
    return hit;
  };

  const walk = (value: unknown, left: number): unknown => {
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        const next = item !== null && typeof item === 'object' ? walk(item, left - 1) : item;
        if (next !== item) {
          out ??= value.slice();
          out[i] = next;
        }
      }
      return out ?? value;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const obj = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key in obj) {
      const item = obj[key];
      let next: unknown;
      if (isSecret(key)) next = item === undefined ? item : REDACTION_CENSOR;
      else if (left > 0 && item !== null && typeof item === 'object') next = walk(item, left - 1);
      else continue;
      if (next !== item && Object.hasOwn(obj, key)) {
        out ??= copy(obj);
        out[key] = next;
      }
    }
    return out ?? obj;
  };
  return (fields) => walk(fields, depth) as Record<string, unknown>;
}

/** A shallow copy that keeps a `__proto__` key as data. */
function copy(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: obj[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = obj[key];
  }
  return out;
}

/** How a logger redacts at source. */
export interface Redaction {
  /** pino options: the key redactor on each call's fields, pino's own `redact` for explicit paths. */
  readonly options: Pick<pino.LoggerOptions, 'formatters' | 'redact'>;
  /**
   * The key redactor for bound fields (options `bindings`, `child()`, transaction fields): pino
   * runs no formatter on a child's bindings, so the logger applies it before binding.
   */
  readonly bindings: (fields: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/** Compiles the redaction of a logger: key globs matched down to `depth`, plus explicit pino paths. */
export function compileRedaction(
  keys: readonly string[],
  depth: number,
  paths: readonly string[],
): Redaction {
  const redactor = compileKeyRedactor(keys, depth);
  return {
    options: {
      ...(redactor !== undefined && { formatters: { log: redactor } }),
      ...(paths.length > 0 && { redact: { paths: [...paths], censor: REDACTION_CENSOR } }),
    },
    bindings: redactor ?? ((fields) => fields as Record<string, unknown>),
  };
}
