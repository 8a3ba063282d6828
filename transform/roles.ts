import type { FieldSpec } from './parsed.js';

/** Groups of keys a JSON record's fields can play (one schema field each). */
export const G = {
  level: 0,
  time: 1,
  msg: 2,
  service: 3,
  name: 4,
  logger: 5,
  tx: 6,
  trace: 7,
  exec: 8,
  fname: 9,
  cold: 10,
  err: 11,
  lambdaErr: 12,
  stack: 13,
  v: 14,
  span: 15,
  /** A key that points at a log family (`transform/families/`); `p` is the family's index. */
  family: 16,
} as const;

/** A role of a top-level key: its group, its priority in the group (lower wins), its field spec. */
export interface Role {
  /** The record key this role belongs to. */
  readonly k: string;
  readonly g: number;
  readonly p: number;
  /** For configured id fields: the spec (a dotted spec's nested path starts at this key). */
  readonly spec?: FieldSpec;
}

const STATIC: readonly [number, readonly string[]][] = [
  [G.level, ['level', 'severity', 'lvl', 'loglevel', 'log_level']],
  [G.time, ['time', 'timestamp', '@timestamp', 'ts', 'datetime', 'date']],
  [G.msg, ['message', 'msg']],
  [G.service, ['service', 'serviceName', 'service_name']],
  [G.name, ['name']],
  [G.logger, ['logger', 'loggerName', 'logger_name']],
  [G.exec, ['function_request_id', 'awsRequestId', 'aws_request_id', 'lambdaRequestId', 'lambda_request_id']],
  [G.fname, ['function_name', 'lambda_function_name']],
  [G.cold, ['cold_start', 'coldStart']],
  [G.err, ['err', 'error', 'exception']],
  [G.lambdaErr, ['errorType', 'errorMessage', 'stackTrace']],
  [G.stack, ['stack', 'stack_trace', 'stackTrace']],
  [G.v, ['v']],
  [G.span, ['spanId', 'span_id', 'span.id']],
];

/**
 * The key → roles table of the record parser, compiled once per normaliser: one `Map` lookup per
 * key of a record instead of probing every candidate name on every record.
 */
export function compileRoles(
  tx: readonly FieldSpec[],
  trace: readonly FieldSpec[],
  familyMarkers: ReadonlyMap<string, readonly number[]> = new Map(),
): ReadonlyMap<string, readonly Role[]> {
  const roles = new Map<string, Role[]>();
  const add = (key: string, r: Omit<Role, 'k'>): void => {
    const role: Role = { k: key, ...r };
    const list = roles.get(key);
    if (list) list.push(role);
    else roles.set(key, [role]);
  };
  for (const [g, keys] of STATIC) {
    keys.forEach((k, p) => {
      add(k, { g, p });
    });
  }
  const ids = (g: number, specs: readonly FieldSpec[]): void => {
    specs.forEach((spec, p) => {
      add(spec.key, { g, p, spec: { key: spec.key } });
      if (spec.path) add(spec.path[0]!, { g, p, spec });
    });
  };
  ids(G.tx, tx);
  ids(G.trace, trace);
  for (const [key, families] of familyMarkers) for (const p of families) add(key, { g: G.family, p });
  return roles;
}
