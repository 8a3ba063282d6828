import { schemaFields } from '../transform/schema-docs.js';

/**
 * The fields of the event schema, for checking the paths a rules file names: a condition on
 * `servce.name` or a redact field `error.stack` (the schema says `error.stack_trace`) is valid
 * syntax but can never match, so a drop would never drop and a redaction would never redact.
 * Derived from `LogEventSchema` (the schema every event is validated against) through the same
 * `schemaFields` walk that writes `docs/event-schema.md`, so it cannot drift.
 */
interface EventPaths {
  /** Every path of the schema, objects included (`aws`, `aws.cloudwatch`, `aws.cloudwatch.log_group`). */
  readonly known: ReadonlySet<string>;
  /** Paths of objects that have fields of their own (a wildcard may follow them). */
  readonly parents: ReadonlySet<string>;
  /** Paths of free-form objects (`attributes`): any path below them is possible. */
  readonly free: readonly string[];
}

let cached: EventPaths | undefined;

function eventPaths(): EventPaths {
  if (cached) return cached;
  const fields = schemaFields();
  const known = new Set(fields.map((f) => f.path));
  const free = fields.filter((f) => f.anyKeys).map((f) => f.path);
  const parents = new Set(free);
  for (const f of fields) {
    const dot = f.path.lastIndexOf('.');
    if (dot > 0) parents.add(f.path.slice(0, dot));
  }
  cached = { known, parents, free };
  return cached;
}

/** Edit distance (Levenshtein) of two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** What a rules file is told a path must be. */
export const EVENT_PATH_EXPECTED = 'a field of the event schema (e.g. log.level) or a path under attributes.';

/**
 * Why `path` (dotted, already syntactically valid; `*` and `**` segments allowed) names no field an
 * event can have (to follow {@link EVENT_PATH_EXPECTED} and ", not "), or undefined when it can: a path of the event schema, or any path below a
 * free-form object such as `attributes`. Only the part before the first wildcard is checked.
 */
export function eventPathProblem(path: string): string | undefined {
  const { known, parents, free } = eventPaths();
  const segments = path.split('.');
  const wildcard = segments.findIndex((s) => s === '*' || s === '**');
  const fixed = (wildcard < 0 ? segments : segments.slice(0, wildcard)).join('.');
  if (fixed === '') return undefined;
  if (free.some((f) => fixed.startsWith(`${f}.`))) return undefined;
  if (known.has(fixed) && (wildcard < 0 || parents.has(fixed))) return undefined;
  if (known.has(fixed)) return `'${fixed}' (it has no fields below it for a wildcard to match)`;
  // A known path the author's is the start of (`error.stack` → `error.stack_trace`), else the nearest by edits.
  let best = [...known].filter((k) => k.startsWith(fixed)).sort((a, b) => a.length - b.length)[0];
  let bestDistance = Math.max(2, Math.floor(fixed.length / 4)) + 1;
  if (!best)
    for (const k of known) {
      const d = distance(fixed, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
  return `'${fixed}'${best ? ` (did you mean ${best}?)` : ''}`;
}
