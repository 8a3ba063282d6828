import type { LogEvent } from '../../transform/schema.js';
import type { Predicate } from '../condition/compile.js';
import { deletePathOwned, getPath, type JsonObject, setPathOwned } from '../path.js';
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

/** Copy-on-write state of one event being enriched. */
class Draft {
  private root: JsonObject | undefined;
  // Created with the root copy: an event no rule writes allocates neither.
  private owned: Set<object> | undefined;

  constructor(private readonly source: JsonObject) {}

  private writable(): { root: JsonObject; owned: Set<object> } {
    if (!this.root || !this.owned) {
      this.root = { ...this.source };
      this.owned = new Set([this.root]);
    }
    return { root: this.root, owned: this.owned };
  }

  get(segments: readonly string[]): unknown {
    return getPath(this.root ?? this.source, segments);
  }

  set(to: Target, value: unknown): void {
    let v = value;
    if (to.stringOnly && typeof v !== 'string') {
      if (typeof v !== 'number' && typeof v !== 'boolean') return;
      v = String(v);
    }
    // Static objects from the rules file are copied per event, so events never share them.
    if (typeof v === 'object' && v !== null) v = structuredClone(v);
    const { root, owned } = this.writable();
    setPathOwned(root, to.segments, v, owned);
  }

  delete(segments: readonly string[]): void {
    const { root, owned } = this.writable();
    deletePathOwned(root, segments, owned);
  }

  result(): JsonObject {
    return this.root ?? this.source;
  }
}

const ORIGIN_MEMO_LIMIT = 1024;

/** The enrich runtime: renames, then static sets, then log-group fields; copies, never mutates. */
export function enrichWith(plan: EnrichPlan): (event: LogEvent) => LogEvent {
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
  return (event) => {
    if (plan.when && !plan.when(event)) return event;
    const draft = new Draft(event as unknown as JsonObject);
    for (const { from, to } of plan.renames) {
      const v = draft.get(from);
      if (v === undefined) continue;
      draft.delete(from);
      draft.set(to, v);
    }
    for (const { to, value } of plan.sets) draft.set(to, value);
    const lg = plan.logGroup;
    if (lg) {
      const values = renderFor(
        lg,
        event.aws?.cloudwatch?.log_group ?? '',
        event.aws?.cloudwatch?.log_stream ?? '',
      );
      if (values)
        lg.sets.forEach(({ to }, i) => {
          draft.set(to, values[i]);
        });
    }
    return draft.result() as unknown as LogEvent;
  };
}
