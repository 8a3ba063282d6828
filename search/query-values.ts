import { fieldType, LEVELS } from './fields.js';
import type { RangeValue, TimeUnit } from './query-ast.js';

const TIME_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const RELATIVE_RE = /^now(?:([+-])(\d{1,6})([smhdw]))?$/;
/** A number as the query language writes one (`100`, `-2.5`, `1e3`). */
export const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Why a bound cannot be a value of its field, and what would be. */
export interface ValueProblem {
  readonly problem: string;
  readonly expected: readonly string[];
}

/**
 * The typed value of a range bound on `field` (pure): times (`now-5m`, ISO dates, zone-less = UTC)
 * on time fields, numbers on number fields, a number or text on `attributes.*`, text elsewhere.
 */
export function readRangeValue(field: string, raw: string): RangeValue | ValueProblem {
  const type = fieldType(field);
  if (type === 'time') {
    const rel = RELATIVE_RE.exec(raw);
    if (rel) {
      const amount = rel[2] === undefined ? 0 : Number(rel[2]) * (rel[1] === '-' ? -1 : 1);
      return { type: 'relative', amount, unit: (rel[3] ?? 's') as TimeUnit };
    }
    const ms = TIME_RE.test(raw)
      ? Date.parse(
          raw.length === 10 ? `${raw}T00:00:00Z` : /[Zz]|[+-]\d{2}:?\d{2}$/.test(raw) ? raw : `${raw}Z`,
        )
      : Number.NaN;
    if (!Number.isFinite(ms))
      return {
        problem: `${field} is a time`,
        expected: ['a time such as now-5m, now-2h, 2026-12-05 or 2026-12-05T10:00:00Z'],
      };
    return { type: 'time', epochMs: ms };
  }
  if (type === 'number') {
    if (!NUMBER_RE.test(raw)) return { problem: `${field} is a number`, expected: ['a number'] };
    return { type: 'number', value: Number(raw) };
  }
  if (type === 'attribute' && NUMBER_RE.test(raw)) return { type: 'number', value: Number(raw) };
  return { type: 'string', value: field === 'log.level' ? raw.toLowerCase() : raw };
}

/** The level a mistyped one most likely meant (same first two letters). */
export function closestLevel(v: string): string | undefined {
  return LEVELS.find((l) => l.startsWith(v.slice(0, 2)));
}
