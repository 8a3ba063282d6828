/**
 * The fields a query can name: every leaf of the event schema (`docs/event-schema.json`, checked
 * by `fields.test.ts`), the short names users type, and `attributes.*`. Pure and dependency-free
 * so the UI bundle can use it.
 */

/** How a field's values compare: decides which clauses a field accepts and how they translate. */
export type FieldType = 'keyword' | 'text' | 'time' | 'number' | 'boolean' | 'attribute';

/** Every leaf path of the event schema and its type (`attributes` is any-keys: see {@link fieldType}). */
export const SCHEMA_FIELDS: Readonly<Record<string, FieldType>> = Object.freeze({
  '@timestamp': 'time',
  message: 'text',
  'log.level': 'keyword',
  'log.format': 'keyword',
  'log.logger': 'keyword',
  'log.truncated': 'boolean',
  'service.name': 'keyword',
  'transaction.id': 'keyword',
  'trace.id': 'keyword',
  'span.id': 'keyword',
  'event.id': 'keyword',
  'event.ingested': 'time',
  'aws.cloudwatch.log_group': 'keyword',
  'aws.cloudwatch.log_stream': 'keyword',
  'cloud.account.id': 'keyword',
  'cloud.region': 'keyword',
  'faas.execution': 'keyword',
  'faas.name': 'keyword',
  'faas.coldstart': 'boolean',
  'error.type': 'keyword',
  'error.message': 'text',
  'error.stack_trace': 'text',
  'lambda.platform': 'keyword',
  'lambda.version': 'keyword',
  'lambda.report.duration_ms': 'number',
  'lambda.report.billed_duration_ms': 'number',
  'lambda.report.memory_size_mb': 'number',
  'lambda.report.max_memory_used_mb': 'number',
  'lambda.report.init_duration_ms': 'number',
  'redaction.rules': 'keyword',
  route: 'keyword',
});

/** Short field names users can type, and the schema path each stands for. */
export const FIELD_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  service: 'service.name',
  level: 'log.level',
  transaction: 'transaction.id',
  tx: 'transaction.id',
  trace: 'trace.id',
  span: 'span.id',
  request: 'faas.execution',
  logger: 'log.logger',
  error: 'error.type',
  group: 'aws.cloudwatch.log_group',
  stream: 'aws.cloudwatch.log_stream',
  duration: 'lambda.report.duration_ms',
  timestamp: '@timestamp',
});

/** The levels `log.level` takes (the schema's enum; `fields.test.ts` holds them equal). */
export const LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** The id fields a bare id pasted alone is looked up in. */
export const ID_LOOKUP_FIELDS: readonly string[] = [
  'transaction.id',
  'trace.id',
  'faas.execution',
  'span.id',
];

const NAME_RE = /^[A-Za-z_@][A-Za-z0-9_@-]{0,99}$/;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** The type of a resolved field path (`attribute` for `attributes.*`), undefined when unknown. */
export function fieldType(path: string): FieldType | undefined {
  if (Object.hasOwn(SCHEMA_FIELDS, path)) return SCHEMA_FIELDS[path];
  return path.startsWith('attributes.') ? 'attribute' : undefined;
}

/** Why a field name was refused, with the closest name that exists when one is close. */
export interface FieldProblem {
  readonly problem: 'invalid' | 'unknown';
  readonly suggestion?: string;
}

/**
 * Resolves a name as typed (alias or dotted path) to a schema path. Returns the path, or the
 * problem: a malformed name, or a name the schema does not have (with a suggestion by edit
 * distance: `service.nam` → `service.name`; else `attributes.<name>`).
 */
export function resolveField(name: string): { path: string } | FieldProblem {
  const path = Object.hasOwn(FIELD_ALIASES, name) ? (FIELD_ALIASES[name] as string) : name;
  const segments = path.split('.');
  if (path.length > 200 || segments.some((s) => !NAME_RE.test(s) || FORBIDDEN_SEGMENTS.has(s)))
    return { problem: 'invalid' };
  if (path.startsWith('attributes.') || Object.hasOwn(SCHEMA_FIELDS, path)) return { path };
  return { problem: 'unknown', suggestion: suggestField(name) };
}

/** The known name closest to `name` (a few edits away), else `attributes.<name>`. */
export function suggestField(name: string): string {
  const lower = name.toLowerCase();
  let best: string | undefined;
  // Edits allowed: none for 1–2 characters, then one per 4 characters (`service.nam` → 2).
  let bestDistance = name.length <= 2 ? 1 : Math.max(1, Math.floor(name.length / 4)) + 1;
  for (const candidate of [...Object.keys(SCHEMA_FIELDS), ...Object.keys(FIELD_ALIASES)]) {
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  return `attributes.${name.replace(/^attributes\.?/, '') || 'name'}`;
}

/**
 * Levenshtein distance of `a` and `b`, stopping early at `limit` (returns `limit` when the distance
 * is at least that). Names are at most 200 characters, so this stays small.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = row;
  }
  return Math.min(prev[b.length] as number, limit);
}
