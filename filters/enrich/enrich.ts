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
  private readonly owned = new Set<object>();

  constructor(private readonly source: JsonObject) {}

  private writable(): JsonObject {
    if (!this.root) {
      this.root = { ...this.source };
      this.owned.add(this.root);
    }
    return this.root;
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
    setPathOwned(this.writable(), to.segments, v, this.owned);
  }

  delete(segments: readonly string[]): void {
    deletePathOwned(this.writable(), segments, this.owned);
  }

  result(): JsonObject {
    return this.root ?? this.source;
  }
}

const LOG_GROUP_MEMO_LIMIT = 1024;
const logGroupMemo = new WeakMap<AuthorRegex, Map<string, Readonly<Record<string, string>> | null>>();

/** Captures of `re` on a log group name, memoised (a few log groups carry millions of events). */
function capturesOf(re: AuthorRegex, logGroup: string): Readonly<Record<string, string>> | undefined {
  let memo = logGroupMemo.get(re);
  if (!memo) {
    memo = new Map();
    logGroupMemo.set(re, memo);
  }
  let hit = memo.get(logGroup);
  if (hit === undefined) {
    hit = re.captures(logGroup) ?? null;
    if (memo.size >= LOG_GROUP_MEMO_LIMIT) memo.clear();
    memo.set(logGroup, hit);
  }
  return hit ?? undefined;
}

/** The enrich runtime: renames, then static sets, then log-group fields; copies, never mutates. */
export function enrichWith(plan: EnrichPlan): (event: LogEvent) => LogEvent {
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
    if (plan.logGroup) {
      const logGroup = event.aws?.cloudwatch?.log_group ?? '';
      const captures = capturesOf(plan.logGroup.re, logGroup);
      if (captures) {
        const vars = {
          ...captures,
          log_group: logGroup,
          log_stream: event.aws?.cloudwatch?.log_stream ?? '',
        };
        for (const { to, render } of plan.logGroup.sets) draft.set(to, render(vars));
      }
    }
    return draft.result() as unknown as LogEvent;
  };
}
