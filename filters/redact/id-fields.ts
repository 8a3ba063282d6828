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
 * The value of `ID_FIELDS[f]` in `event`: named property reads (one inline cache per field), which
 * cost less per event than reading the paths of {@link ID_FIELDS} with computed keys.
 */
function fieldValue(event: LogEvent, f: number): unknown {
  const e = event as unknown as Partial<Record<string, Record<string, unknown> | undefined>>;
  switch (f) {
    case 0:
      return e['transaction']?.['id'];
    case 1:
      return e['trace']?.['id'];
    case 2:
      return e['faas']?.['execution'];
    case 3:
      return e['service']?.['name'];
    case 4:
      return (e['aws']?.['cloudwatch'] as Record<string, unknown> | undefined)?.['log_group'];
    default:
      return (e['aws']?.['cloudwatch'] as Record<string, unknown> | undefined)?.['log_stream'];
  }
}

/**
 * Compiles the scan of the {@link ID_FIELDS}: `(event, out)` scans each with `scan` (the default
 * pack's detectors only, whose outcome on a string never changes) and writes a changed one into
 * `out`, copied from `event` when undefined, copying the objects on its path. Returns `out` (still
 * undefined when nothing changed). The last clean value of each field is remembered: the events of
 * one envelope share their log group and stream, and a transaction its id, so most values were
 * just scanned.
 */
export function idFieldScanner(
  scan: (s: string) => string,
): (event: LogEvent, out: LogEvent | undefined) => LogEvent | undefined {
  const lastClean: (string | undefined)[] = ID_FIELDS.map(() => undefined);
  return (event, out) => {
    for (let f = 0; f < ID_FIELDS.length; f++) {
      const v = fieldValue(event, f);
      if (typeof v !== 'string' || v === lastClean[f]) continue;
      const path = ID_FIELDS[f]!;
      const leaf = path[path.length - 1]!;
      const r = scan(v);
      if (r === v) {
        lastClean[f] = v;
        continue;
      }
      out ??= { ...event };
      const target = out as unknown as JsonObject;
      const top = { ...(target[path[0]] as JsonObject) };
      target[path[0]] = top;
      if (path.length === 2) top[leaf] = r;
      else top[path[1]!] = { ...(top[path[1]!] as JsonObject), [leaf]: r };
    }
    return out;
  };
}
