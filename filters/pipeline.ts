import { drop, fail, keep, type Outcome } from '../core/outcome.js';
import type { LogEvent } from '../transform/schema.js';
import type { CompileContext, CompiledStep } from './compile-context.js';
import { EventDraft } from './draft.js';
import { compileDropRule } from './drop/compile.js';
import { compileEnrichRule } from './enrich/compile.js';
import { FilterRuleError, RuleConfigError, type RuleProblem } from './errors.js';
import { formatPath, ruleFileOrigin, validateRuleFile } from './parse.js';
import { compileRedactRule } from './redact/compile.js';
import { RedactRuleSchema } from './redact/config.js';
import { DEFAULT_PACK } from './redact/default-pack.js';
import { createRedactor, type Redactor } from './redact/redact.js';
import { compileRouteRule } from './route/compile.js';
import type { Rule, RuleFile } from './rule-file.js';
import { compileSampleRule } from './sample/compile.js';

/** Options of {@link compileRules}, passed by the composition root. */
export interface CompileOptions {
  /** Named secrets (HMAC keys for `hash` redaction) — from env / Secrets Manager, never the rules file. */
  secrets?: Readonly<Record<string, string>>;
  /** Overrides the file's `default_pack` (the default pack is on unless one of them says `false`). */
  defaultPack?: boolean;
}

/** Compiled rules: one call per event, never throws. */
export interface FilterPipeline {
  /**
   * Runs the rules on one event (never mutates it): `keep` with the resulting event, `drop` with
   * the dropping rule's name as `reason`, or `fail` (a rule threw; the event must be
   * dead-lettered, never forwarded — fail closed).
   */
  process(event: LogEvent): Outcome<LogEvent>;
  /** Every rule name in execution order (non-redact rules, then redact rules, then the default pack). */
  readonly ruleNames: readonly string[];
  /**
   * Like {@link FilterPipeline.process}, and also names the rules that acted on the event, in order
   * (those that changed it, the one that dropped it, or the one that failed). For tools such as
   * `sluice filters test`; the Lambda path uses `process`.
   */
  explain(event: LogEvent): { outcome: Outcome<LogEvent>; fired: readonly string[] };
}

/** The name under which a failure of the (merged) redaction walk is reported. */
export const REDACTION_STEP = 'redaction';

function compileStep(rule: Exclude<Rule, { kind: 'redact' }>): CompiledStep {
  switch (rule.kind) {
    case 'drop':
      return compileDropRule(rule);
    case 'sample':
      return compileSampleRule(rule);
    case 'enrich':
      return compileEnrichRule(rule);
    case 'route':
      return compileRouteRule(rule);
  }
}

/**
 * Compiles a rules file once into a {@link FilterPipeline}. `undefined` → the default pack only.
 * Order: drop / sample / enrich / route rules in file order; then redaction over the final event
 * (author redact rules in file order take precedence over the default pack). Throws
 * {@link RuleConfigError} listing every problem (e.g. a missing HMAC key).
 */
export function compileRules(file: RuleFile | undefined, opts: CompileOptions = {}): FilterPipeline {
  const origin = file ? ruleFileOrigin(file) : undefined;
  const source = origin?.source ?? '(rules)';
  const valid = file === undefined ? undefined : origin ? file : validateRuleFile(file, source);
  const rules = valid?.rules ?? [];
  const problems: RuleProblem[] = [];

  const steps: CompiledStep[] = [];
  const redactRules = [];
  for (const [index, rule] of rules.entries()) {
    const ctx: CompileContext = {
      secrets: opts.secrets ?? {},
      problem: (p) => {
        const path = ['rules', index, ...p.path];
        const at = origin?.locate(path) ?? { line: 0, column: 0 };
        problems.push({
          rule: rule.name,
          path: formatPath(path),
          ...at,
          received: p.received,
          expected: p.expected,
          message: p.message,
        });
      },
    };
    if (rule.kind === 'redact') redactRules.push(compileRedactRule(rule, ctx));
    else steps.push(compileStep(rule));
  }
  if (problems.length) throw new RuleConfigError(source, problems);

  const usePack = opts.defaultPack ?? valid?.default_pack ?? true;
  if (usePack) {
    const noSecrets: CompileContext = { secrets: {}, problem: () => {} };
    for (const r of DEFAULT_PACK) {
      // Built-in names contain '/', which author names cannot: validate the rest, keep the name.
      const rule = { ...RedactRuleSchema.parse({ ...r, name: 'default' }), name: r.name };
      redactRules.push(compileRedactRule(rule, noSecrets));
    }
  }
  const redactor: Redactor | undefined = redactRules.length ? createRedactor(redactRules) : undefined;

  // One copy-on-write draft for every step of a run (runs are synchronous and never re-entered).
  const draft = new EventDraft();
  const run = (event: LogEvent, trace: string[] | undefined): Outcome<LogEvent> => {
    let step = '';
    draft.reset(event);
    try {
      for (const s of steps) {
        step = s.name;
        const writes = draft.writes;
        if (!s.run(draft)) {
          trace?.push(s.name);
          return drop(s.name);
        }
        if (trace && draft.writes !== writes) trace.push(s.name);
      }
      let current = draft.event;
      if (redactor) {
        step = REDACTION_STEP;
        // The walker writes in place into the objects the draft already copied for this event.
        const { event: redacted, fired } = redactor(current, draft.owned);
        if (fired.length) {
          const before = redacted.redaction?.rules ?? [];
          // `fired` is a new array per call, so it may be the event's list when that was empty.
          const rulesFired =
            Array.isArray(before) && before.length === 0
              ? (fired as string[])
              : [...before, ...fired.filter((n) => !before.includes(n))];
          // `redacted` is a copy of the input (the walker's or the draft's root), so it may be completed here.
          (redacted as { redaction?: { rules: string[] } }).redaction = { rules: rulesFired };
          current = redacted;
          trace?.push(...fired);
        }
      }
      return keep(current);
    } catch (err) {
      trace?.push(step);
      return fail(new FilterRuleError(step, err));
    } finally {
      draft.release();
    }
  };
  return {
    ruleNames: [...steps.map((s) => s.name), ...redactRules.map((r) => r.name)],
    process: (event) => run(event, undefined),
    explain(event) {
      const fired: string[] = [];
      return { outcome: run(event, fired), fired };
    },
  };
}
