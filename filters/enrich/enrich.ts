import type { Predicate } from '../condition/compile.js';
import type { EventDraft } from '../draft.js';
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

/** Writes `value` to a target: string-only targets take strings (numbers and booleans as text). */
function write(draft: EventDraft, to: Target, value: unknown): void {
  let v = value;
  if (to.stringOnly && typeof v !== 'string') {
    if (typeof v !== 'number' && typeof v !== 'boolean') return;
    v = String(v);
  }
  // Static objects from the rules file are copied per event, so events never share them.
  if (typeof v === 'object' && v !== null) v = structuredClone(v);
  draft.set(to.segments, v);
}

const ORIGIN_MEMO_LIMIT = 1024;

/** The enrich runtime: renames, then static sets, then log-group fields; writes through the draft (copy on write). */
export function enrichWith(plan: EnrichPlan): (draft: EventDraft) => true {
  // Rendered log-group values by origin: a few log groups / streams carry millions of events.
  const rendered = new Map<string, readonly string[] | null>();
  // The events of one CloudWatch envelope share their origin: the last one answers most calls.
  let last: { logGroup: string; logStream: string; values: readonly string[] | null } | undefined;
  const renderFor = (lg: NonNullable<EnrichPlan['logGroup']>, logGroup: string, logStream: string) => {
    if (last && last.logGroup === logGroup && last.logStream === logStream) return last.values;
    const key = `${logGroup}\u0000${logStream}`;
    let values = rendered.get(key);
    if (values === undefined) {
      const captures = lg.re.captures(logGroup);
      const vars = captures && { ...captures, log_group: logGroup, log_stream: logStream };
      values = vars ? lg.sets.map(({ render }) => render(vars)) : null;
      if (rendered.size >= ORIGIN_MEMO_LIMIT) rendered.clear();
      rendered.set(key, values);
    }
    last = { logGroup, logStream, values };
    return values;
  };
  return (draft) => {
    const event = draft.event;
    if (plan.when && !plan.when(event)) return true;
    for (const { from, to } of plan.renames) {
      const v = draft.get(from);
      if (v === undefined) continue;
      draft.delete(from);
      write(draft, to, v);
    }
    for (const { to, value } of plan.sets) write(draft, to, value);
    const lg = plan.logGroup;
    if (lg) {
      // The origin as this step found it (before its own renames and sets).
      const values = renderFor(
        lg,
        event.aws?.cloudwatch?.log_group ?? '',
        event.aws?.cloudwatch?.log_stream ?? '',
      );
      if (values) for (let i = 0; i < lg.sets.length; i++) write(draft, lg.sets[i]!.to, values[i]);
    }
    return true;
  };
}
