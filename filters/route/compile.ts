import type { CompiledStep } from '../compile-context.js';
import { compileCondition } from '../condition/compile.js';
import type { RouteRule } from './config.js';
import { routeTo } from './route.js';

/** Compiles a validated route rule into a step. */
export function compileRouteRule(rule: RouteRule): CompiledStep {
  return {
    name: rule.name,
    kind: 'route',
    run: routeTo(rule.route, rule.when && compileCondition(rule.when)),
  };
}
