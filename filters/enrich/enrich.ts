import type { LogEvent } from '../../transform/schema.js';
import type { Predicate } from '../condition/compile.js';
import { deletePath, getPath, type JsonObject, setPath } from '../path.js';
import type { AuthorRegex } from '../regex.js';

/** A compiled write: segments, and whether the target only takes strings. */
export interface Target {
  readonly segments: readonly string[];
  readonly stringOnly: boolean;
}

/** A compiled enrich rule. */
export interface EnrichPlan {
  readonly when: Predicate | undefined;
  readonly renames: readonly { from: readonly string[]; to: Target }[];
  readonly sets: readonly { to: Target; value: unknown }[];
  readonly logGroup:
    | {
        readonly re: AuthorRegex;
        readonly sets: readonly { to: Target; render: (vars: Record<string, string>) => string }[];
      }
    | undefined;
}

function write(event: JsonObject, to: Target, value: unknown): JsonObject {
  if (to.stringOnly && typeof value !== 'string') {
    if (typeof value !== 'number' && typeof value !== 'boolean') return event;
    return setPath(event, to.segments, String(value));
  }
  // Static objects from the rules file are copied per event, so events never share them.
  return setPath(
    event,
    to.segments,
    typeof value === 'object' && value !== null ? structuredClone(value) : value,
  );
}

/** The enrich runtime: renames, then static sets, then log-group fields; copies, never mutates. */
export function enrichWith(plan: EnrichPlan): (event: LogEvent) => LogEvent {
  return (event) => {
    if (plan.when && !plan.when(event)) return event;
    let e = event as unknown as JsonObject;
    for (const { from, to } of plan.renames) {
      const v = getPath(e, from);
      if (v === undefined) continue;
      e = write(deletePath(e, from), to, v);
    }
    for (const { to, value } of plan.sets) e = write(e, to, value);
    if (plan.logGroup) {
      const logGroup = event.aws?.cloudwatch?.log_group ?? '';
      const captures = plan.logGroup.re.captures(logGroup);
      if (captures) {
        const vars = {
          ...captures,
          log_group: logGroup,
          log_stream: event.aws?.cloudwatch?.log_stream ?? '',
        };
        for (const { to, render } of plan.logGroup.sets) e = write(e, to, render(vars));
      }
    }
    return e as unknown as LogEvent;
  };
}
