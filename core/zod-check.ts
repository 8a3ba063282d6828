import type { z } from 'zod';

/** A compiled yes/no check of a value against a zod schema (see {@link compileZodCheck}). */
export type ZodCheck = (value: unknown) => boolean;

/** The parts of a zod (v4) schema definition that {@link compileZodCheck} reads. */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly entries?: Record<string, string | number>;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A programming error (the schema is ours, not input): thrown when the module loads. */
const unsupported = (what: string): TypeError =>
  new TypeError(`compileZodCheck: ${what} is not supported; check such values with the schema itself`);

/**
 * Compiles a zod schema into a plain predicate that accepts exactly the values of JSON origin
 * (`JSON.parse` output) the schema accepts, without building zod's output copy or its issues:
 * for the hot path of validating many values that are almost always valid. Call the schema
 * itself when the predicate says no, to name the problems.
 *
 * Mirrors the subset of zod that data contracts here use: strict objects, optional, string (with regex checks), number (finite), boolean, enum, array, and records with
 * string keys. Any other part (refinements, transforms, defaults, other checks, stripping or
 * passthrough objects) throws a `TypeError` at compile time, so a schema the predicate cannot mirror fails
 * loudly instead of being checked loosely. A property test keeps predicate and schema in agreement.
 */
export function compileZodCheck(schema: z.ZodType): ZodCheck {
  const def = defOf(schema);
  const { type } = def;
  const checks = def.checks ?? [];
  if (type !== 'string' && checks.length > 0) throw unsupported(`a check on ${type}`);
  switch (type) {
    case 'unknown':
    case 'any':
      return () => true;
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'string': {
      const patterns = checks.map(({ _zod: { def: c } }) => {
        if (c.check === 'string_format' && c.format === 'regex' && c.pattern instanceof RegExp) {
          if (c.pattern.global || c.pattern.sticky) throw unsupported('a stateful regex');
          return c.pattern;
        }
        throw unsupported(`the string check ${c.check}/${c.format ?? ''}`);
      });
      if (patterns.length === 0) return (v) => typeof v === 'string';
      return (v) => typeof v === 'string' && patterns.every((p) => p.test(v));
    }
    case 'enum': {
      const values = new Set<unknown>(Object.values(def.entries ?? {}));
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compileZodCheck(def.innerType as z.ZodType);
      return (v) => v === undefined || inner(v);
    }
    case 'array': {
      const element = compileZodCheck(def.element as z.ZodType);
      return (v) => Array.isArray(v) && v.every((x) => element(x));
    }
    case 'record':
      return compileRecord(def);
    case 'object':
      return compileObject(def);
    default:
      throw unsupported(`the schema type ${type}`);
  }
}

function compileRecord(def: Def): ZodCheck {
  const keyType = defOf(def.keyType as z.ZodType);
  if (keyType.type !== 'string' || (keyType.checks ?? []).length > 0)
    throw unsupported('a record whose keys are not plain strings');
  if (defOf(def.valueType as z.ZodType).type === 'unknown') return isObject;
  const value = compileZodCheck(def.valueType as z.ZodType);
  return (v) => {
    if (!isObject(v)) return false;
    for (const k of Object.keys(v)) if (!value(v[k])) return false;
    return true;
  };
}

function compileObject(def: Def): ZodCheck {
  const fields = Object.entries(def.shape ?? {}).map(([key, s]) => ({
    key,
    check: compileZodCheck(s),
    optional: defOf(s).type === 'optional',
  }));
  const known = new Set(fields.map((f) => f.key));
  // Only strict objects (catchall `never`): a stripping object's output differs from its input,
  // and callers keep the input (e.g. forward the JSON text it was parsed from).
  const catchall = def.catchall === undefined ? 'strip' : defOf(def.catchall).type;
  if (catchall !== 'never') throw unsupported(`an object that is not strict (${catchall})`);
  return (v) => {
    if (!isObject(v)) return false;
    for (const f of fields) {
      if (!Object.hasOwn(v, f.key)) {
        if (!f.optional) return false;
      } else if (!f.check(v[f.key])) return false;
    }
    // for…in: no key array; an inherited enumerable key (never in parsed JSON) only refuses more.
    for (const k in v) if (!known.has(k)) return false;
    return true;
  };
}
