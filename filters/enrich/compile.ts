import type { CompiledStep } from '../compile-context.js';
import { compileCondition } from '../condition/compile.js';
import { splitPath } from '../path.js';
import { compileAuthorRegex } from '../regex.js';
import { ENRICH_STRING_TARGETS, type EnrichRule } from './config.js';
import { type EnrichPlan, enrichWith, type Target } from './enrich.js';

function target(path: string): Target {
  return {
    segments: splitPath(path),
    stringOnly: (ENRICH_STRING_TARGETS as readonly string[]).includes(path),
  };
}

/** Compiles `a-{name}-b` into a renderer (split once; rendering only concatenates). */
export function compileTemplate(template: string): (vars: Record<string, string>) => string {
  const parts = template.split(/\{([A-Za-z_][A-Za-z0-9_]*)\}/);
  return (vars) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : (vars[parts[i] ?? ''] ?? '');
    return out;
  };
}

/** Compiles a validated enrich rule into a step. */
export function compileEnrichRule(rule: EnrichRule): CompiledStep {
  const lg = rule.from_log_group;
  const plan: EnrichPlan = {
    when: rule.when && compileCondition(rule.when),
    renames: Object.entries(rule.rename ?? {}).map(([from, to]) => ({
      from: splitPath(from),
      to: target(to),
    })),
    sets: Object.entries(rule.set ?? {}).map(([to, value]) => ({ to: target(to), value })),
    logGroup: lg && {
      re: compileAuthorRegex(lg.pattern),
      sets: Object.entries(lg.set).map(([to, t]) => ({ to: target(to), render: compileTemplate(t) })),
    },
  };
  return { name: rule.name, kind: 'enrich', run: enrichWith(plan) };
}
