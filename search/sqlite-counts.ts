import type Database from 'better-sqlite3';
import { ROLLUPS } from '../sinks/sqlite/schema.js';
import type { ParsedQuery, QueryNode } from './query-ast.js';
import { STORE_LEAVES } from './sqlite-attributes.js';
import { liveTerm } from './sqlite-live.js';
import { buildSqliteWhere } from './sqlite-query.js';
import type { FacetCount, HistogramBucket } from './types.js';

/** Matching events of one histogram bucket, service and level. */
export interface CountRow {
  /** Bucket start (epoch ms, a multiple of the interval). */
  readonly b: number;
  readonly service: string;
  readonly level: string;
  readonly level_num: number;
  readonly n: number;
}

/** Fields whose values the rollups keep: a query made only of these (and time) reads rollups. */
const ROLLUP_FIELDS = new Set(['service.name', 'log.level']);

const rollupNode = (n: QueryNode): boolean => {
  switch (n.kind) {
    case 'all':
      return true;
    case 'and':
    case 'or':
      return n.children.every(rollupNode);
    case 'not':
      return rollupNode(n.child);
    case 'term':
    case 'exists':
      return ROLLUP_FIELDS.has(n.field);
    default:
      return false;
  }
};

/**
 * True when every leaf of `q` is a term (or exists) on `service.name` or `log.level`, under any
 * AND / OR / NOT: its translation then only reads the columns the rollups have. Pure.
 */
export function answeredByRollups(q: ParsedQuery): boolean {
  return rollupNode(q.root);
}

/** One part of a time range and what answers it: the events themselves or a rollup. */
export interface RangePiece {
  readonly from: number;
  readonly to: number;
  /** `events`, `rollup_minute` or `rollup_hour`. */
  readonly table: string;
}

const ceilTo = (t: number, ms: number): number => Math.ceil(t / ms) * ms;
const floorTo = (t: number, ms: number): number => Math.floor(t / ms) * ms;

/**
 * Splits `[from, to)` so each part is read from the coarsest table that is exact for it: whole
 * hours from `rollup_hour` (when the interval is a multiple of an hour), whole minutes from
 * `rollup_minute` (when it is a multiple of a minute), and the sub-minute ends from `events`.
 * A bucket never straddles two rollup rows, because the interval is a multiple of the rollup's
 * width and both are aligned on the epoch. Pure.
 */
export function planRange(from: number, to: number, intervalMs: number): RangePiece[] {
  const [minute, hour] = ROLLUPS;
  const pieces: RangePiece[] = [];
  const add = (a: number, b: number, table: string): void => {
    if (a < b) pieces.push({ from: a, to: b, table });
  };
  if (intervalMs % minute.ms !== 0) return [{ from, to, table: 'events' }];
  const m0 = ceilTo(from, minute.ms);
  const m1 = floorTo(to, minute.ms);
  if (m0 >= m1) return [{ from, to, table: 'events' }];
  add(from, m0, 'events');
  const h0 = ceilTo(m0, hour.ms);
  const h1 = floorTo(m1, hour.ms);
  if (intervalMs % hour.ms === 0 && h0 < h1) {
    add(m0, h0, minute.table);
    add(h0, h1, hour.table);
    add(h1, m1, minute.table);
  } else add(m0, m1, minute.table);
  add(m1, to, 'events');
  return pieces;
}

/**
 * Counts of the events matching `q` in `[from, to)` per histogram bucket, service and level: from
 * the rollups (and the few events at the ends) when the query allows it, otherwise in one pass
 * over the matching events (instead of one pass each for the total, histogram and facets).
 */
export function countRows(
  db: Database.Database,
  q: ParsedQuery,
  from: number,
  to: number,
  intervalMs: number,
  now: number,
): CountRow[] {
  const pieces = answeredByRollups(q) ? planRange(from, to, intervalMs) : [{ from, to, table: 'events' }];
  const out: CountRow[] = [];
  for (const p of pieces) {
    const w = buildSqliteWhere(q, { from: p.from, to: p.to }, { now, leaves: STORE_LEAVES });
    const live = liveTerm(p.table === 'events' ? 'seq' : 'ts');
    // Over events, the count is the sum of the stop check (1 per row): the rows are then checked
    // again while the sorted groups are read out, after the scan (docs/store.md).
    const n = p.table === 'events' ? `sum(${live})` : 'sum(n)';
    const rows = db
      .prepare(
        `SELECT ts - (ts % ?) AS b, service, level, max(level_num) AS level_num, ${n} AS n
         FROM ${p.table} WHERE ${live} AND ${w.sql} GROUP BY 1, 2, 3`,
      )
      .all(intervalMs, ...w.params) as CountRow[];
    for (const r of rows) if (r.n > 0) out.push(r);
  }
  return out;
}

/** Errors are events at level `error` (4) or `fatal` (5). */
const ERROR_LEVEL = 4;

const top = (m: Map<string, number>, limit: number): FacetCount[] =>
  [...m]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, limit);

/** The total, histogram counts and service / level facets (top 50) of some count rows. Pure. */
export function summarize(rows: readonly CountRow[]): {
  total: number;
  buckets: Map<number, Omit<HistogramBucket, 'start'>>;
  service: FacetCount[];
  level: FacetCount[];
} {
  let total = 0;
  const buckets = new Map<number, { count: number; errors: number }>();
  const services = new Map<string, number>();
  const levels = new Map<string, number>();
  for (const r of rows) {
    total += r.n;
    const b = buckets.get(r.b) ?? { count: 0, errors: 0 };
    b.count += r.n;
    if (r.level_num >= ERROR_LEVEL) b.errors += r.n;
    buckets.set(r.b, b);
    services.set(r.service, (services.get(r.service) ?? 0) + r.n);
    levels.set(r.level, (levels.get(r.level) ?? 0) + r.n);
  }
  return { total, buckets, service: top(services, 50), level: top(levels, 50) };
}
