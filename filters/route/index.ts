export { compileRouteRule } from './compile.js';
export { type RouteRule, RouteRuleSchema } from './config.js';
export { routeTo } from './route.js';
