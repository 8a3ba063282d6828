import type { LogEvent } from '../../transform/schema.js';
import type { JsonObject } from '../path.js';

/**
 * Id-like fields the default pack's secret detectors also scan (masking only the matched text): `transaction.id`,
 * `trace.id`, `faas.execution`, `service.name` and the log group and stream. `event.id` is not
 * scanned: it is a hash or a CloudWatch id, and the store's key.
 */
const ID_FIELDS: readonly (readonly [string, ...string[]])[] = [
  ['transaction', 'id'],
  ['trace', 'id'],
  ['faas', 'execution'],
  ['service', 'name'],
  ['aws', 'cloudwatch', 'log_group'],
  ['aws', 'cloudwatch', 'log_stream'],
];

/**
 * Scans the {@link ID_FIELDS} of `event` with `scan` (the caller limits it to the default pack's
 * rules) and writes a changed one into `out`, copied from `event` when undefined, copying the
 * objects on its path. Returns `out` (still undefined when nothing changed).
 */
export function redactIdFields(
  event: LogEvent,
  out: LogEvent | undefined,
  scan: (s: string) => string,
): LogEvent | undefined {
  const root = event as unknown as JsonObject;
  for (const path of ID_FIELDS) {
    const parent = (
      path.length === 2 ? root[path[0]] : (root[path[0]] as JsonObject | undefined)?.[path[1] as string]
    ) as JsonObject | undefined;
    const leaf = path[path.length - 1]!;
    const v = parent?.[leaf];
    if (typeof v !== 'string') continue;
    const r = scan(v);
    if (r === v) continue;
    out ??= { ...event };
    const target = out as unknown as JsonObject;
    const top = { ...(target[path[0]] as JsonObject) };
    target[path[0]] = top;
    if (path.length === 2) top[leaf] = r;
    else top[path[1]!] = { ...(top[path[1]!] as JsonObject), [leaf]: r };
  }
  return out;
}
