import {
  defineOwn,
  type ErrorFields,
  errorFromObject,
  errorFromStack,
  looksLikeStack,
  stackText,
} from '../error-fields.js';
import { idToString, parseSpanId, parseTraceId } from '../ids.js';
import { normalizeLevel } from '../levels.js';
import type { ParsedLine } from '../parsed.js';
import type { LogFormat, LogLevel } from '../schema.js';
import { toIsoMs } from '../time.js';

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The schema fields a family's record keys can fill (`error` takes an error object or text). */
const ROLES = [
  'time',
  'level',
  'message',
  'logger',
  'service',
  'transaction',
  'trace',
  'span',
  'execution',
  'error',
  'errorType',
  'errorMessage',
  'stack',
] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** The schema path each role fills (for the docs table). */
const ROLE_FIELD: Readonly<Record<Role, string>> = {
  time: '@timestamp',
  level: 'log.level',
  message: 'message',
  logger: 'log.logger',
  service: 'service.name',
  transaction: 'transaction.id',
  trace: 'trace.id',
  span: 'span.id',
  execution: 'faas.execution',
  error: 'error.*',
  errorType: 'error.type',
  errorMessage: 'error.message',
  stack: 'error.stack_trace',
};

/**
 * Where a role's value is: a top-level key, taken literally (`"log.level"` is one key), or a
 * path into nested objects (`['log', 'level']`). The first rule of a role whose value reads wins.
 */
export interface FieldRule {
  readonly role: Role;
  readonly path: string | readonly string[];
  /** Reads the value (default: the role's reader); `undefined` means "not usable here". */
  readonly read?: (v: unknown) => unknown;
  /** How the docs table names the conversion, e.g. `nanoseconds`. */
  readonly note?: string;
  /** Read the value but keep the key in `attributes` too (e.g. a resource with more than the name). */
  readonly keep?: boolean;
}

/** What a family maps: its `log.format`, its field rules, the level when the record has none. */
export interface MappingSpec {
  readonly format: LogFormat;
  readonly fields: readonly FieldRule[];
  /** The family's documented level when the record has none (CLEF: absent = Information). */
  readonly defaultLevel?: LogLevel;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const nonEmpty = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' && v.length <= 1024 ? v : undefined;

const READERS: Readonly<Record<Role, (v: unknown) => unknown>> = {
  time: toIsoMs,
  level: normalizeLevel,
  message: str,
  logger: nonEmpty,
  service: nonEmpty,
  transaction: (v) => idToString(v, '', undefined),
  trace: parseTraceId,
  span: parseSpanId,
  execution: nonEmpty,
  error: readError,
  errorType: nonEmpty,
  errorMessage: (v) => (typeof v === 'string' ? v : undefined),
  stack: (v) => {
    const t = stackText(v);
    return t === '' ? undefined : t;
  },
};

/** An error read from a record: the `error.*` fields and the keys of its object they do not hold. */
export interface ErrorRead {
  readonly fields: ErrorFields;
  readonly rest?: Rec | undefined;
}

/** The default `error` reader: an error object (pino, ECS, Powertools…) or a message / stack text. */
function readError(v: unknown): ErrorRead | undefined {
  if (isRec(v)) return errorFromObject(v);
  if (typeof v === 'string' && v !== '')
    return { fields: looksLikeStack(v) ? errorFromStack(v) : { message: v } };
  return undefined;
}

interface CompiledRule {
  readonly role: Role;
  readonly key: string;
  readonly rest: readonly string[];
  readonly read: (v: unknown) => unknown;
  readonly keep: boolean;
}

/** A compiled mapping: one record in, a {@link ParsedLine} out. Pure, never throws. */
export type Mapper = (o: Rec) => ParsedLine;

/**
 * Compiles a family's mapping once: rules grouped by role in priority order. Per record, each role
 * probes its few keys; every key (and every key of a nested object) that no role used stays in
 * `attributes` as it was.
 */
export function compileMapping(spec: MappingSpec): Mapper {
  const byRole = new Map<Role, CompiledRule[]>();
  for (const r of spec.fields) {
    const path = typeof r.path === 'string' ? [r.path] : r.path;
    const list = byRole.get(r.role) ?? [];
    list.push({
      role: r.role,
      key: path[0]!,
      rest: path.slice(1),
      read: r.read ?? READERS[r.role],
      keep: r.keep === true,
    });
    byRole.set(r.role, list);
  }
  const groups = ROLES.flatMap((role) => {
    const g = byRole.get(role);
    return g === undefined ? [] : [g];
  });

  return (o) => {
    const out: ParsedLine = { format: spec.format, message: '' };
    const used = new Set<string>();
    let nestedUsed: Map<string, Set<string>> | undefined;
    const values: Partial<Record<Role, unknown>> = {};
    let errorKey: string | undefined;
    for (const group of groups) {
      for (const rule of group) {
        if (!Object.hasOwn(o, rule.key)) continue;
        let v: unknown = o[rule.key];
        for (const part of rule.rest) v = isRec(v) && Object.hasOwn(v, part) ? v[part] : undefined;
        if (v === undefined) continue;
        const read = rule.read(v);
        if (read === undefined) continue;
        values[rule.role] = read;
        if (rule.keep) break;
        if (rule.role === 'error') errorKey = rule.key;
        if (rule.rest.length === 0) used.add(rule.key);
        else if (rule.rest.length === 1) {
          nestedUsed ??= new Map();
          const set = nestedUsed.get(rule.key) ?? new Set<string>();
          set.add(rule.rest[0]!);
          nestedUsed.set(rule.key, set);
        }
        break;
      }
    }
    apply(out, values);
    const level = (values.level as LogLevel | undefined) ?? spec.defaultLevel;
    if (level !== undefined) out.level = level;

    let attributes: Rec | undefined;
    const errorRest = errorKey === undefined ? undefined : (values.error as ErrorRead).rest;
    for (const k of Object.keys(o)) {
      if (used.has(k)) {
        if (k === errorKey && errorRest !== undefined) {
          attributes ??= {};
          defineOwn(attributes, k, errorRest);
        }
        continue;
      }
      const v = o[k];
      const inner = nestedUsed?.get(k);
      if (inner !== undefined && isRec(v)) {
        let rest: Rec | undefined;
        for (const ik of Object.keys(v)) {
          if (inner.has(ik)) continue;
          rest ??= {};
          defineOwn(rest, ik, v[ik]);
        }
        if (rest === undefined) continue;
        attributes ??= {};
        defineOwn(attributes, k, rest);
        continue;
      }
      attributes ??= {};
      defineOwn(attributes, k, v);
    }
    if (attributes !== undefined) out.attributes = attributes;
    return out;
  };
}

/** Copies the read role values onto the parsed line (error parts merged into one `error`). */
function apply(out: ParsedLine, v: Partial<Record<Role, unknown>>): void {
  if (v.time !== undefined) out.time = v.time as string;
  if (v.message !== undefined) out.message = v.message as string;
  if (v.logger !== undefined) out.logger = v.logger as string;
  if (v.service !== undefined) out.service = v.service as string;
  if (v.transaction !== undefined) out.transactionId = v.transaction as string;
  if (v.trace !== undefined) out.traceId = v.trace as string;
  if (v.span !== undefined) out.spanId = v.span as string;
  if (v.execution !== undefined) out.execution = v.execution as string;
  let error = (v.error as ErrorRead | undefined)?.fields;
  if (v.stack !== undefined) {
    error ??= errorFromStack(v.stack as string);
    error.stack_trace ??= v.stack as string;
  }
  if (v.errorType !== undefined || v.errorMessage !== undefined) {
    error ??= {};
    if (v.errorType !== undefined) error.type = v.errorType as string;
    if (v.errorMessage !== undefined) error.message = v.errorMessage as string;
  }
  if (error !== undefined) out.error = error;
}

/** The docs table's "fields" cell of a mapping: `key` → `schema field`, in role order. */
export function describeMapping(spec: MappingSpec): string {
  const parts: string[] = [];
  for (const role of ROLES) {
    const keys = spec.fields
      .filter((f) => f.role === role)
      .map((f) => {
        // A literal dotted key is quoted (`"log.level"`); a nested path is written with dots.
        const name =
          typeof f.path === 'string'
            ? f.path.includes('.')
              ? `\`"${f.path}"\``
              : `\`${f.path}\``
            : `\`${f.path.join('.')}\``;
        return f.note ? `${name} (${f.note})` : name;
      });
    if (keys.length > 0) parts.push(`${keys.join(' / ')} → \`${ROLE_FIELD[role]}\``);
  }
  if (spec.defaultLevel) parts.push(`no level → \`${spec.defaultLevel}\``);
  return parts.join('; ');
}
