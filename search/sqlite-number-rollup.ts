import type Database from 'better-sqlite3';
import { NUMBER_FIELDS } from '../sinks/sqlite/field-index.js';
import { NUMBER_SLOT_MS } from '../sinks/sqlite/field-stats.js';
import {
  bucketCondition,
  coverBuckets,
  type NumberBound,
  openBucketRange,
} from '../sinks/sqlite/number-buckets.js';
import { ROLLUPS } from '../sinks/sqlite/schema.js';
import { fieldType } from './fields.js';
import type { ParsedQuery, QueryNode, RangeBound, RangeNode } from './query-ast.js';
import { STORE_LEAVES } from './sqlite-attributes.js';
import { drivenPass, type RowKey, walkPass } from './sqlite-bounded.js';
import { answeredByRollups, type CountRow } from './sqlite-counts.js';
import { liveTerm } from './sqlite-live.js';
import { hasFieldStats } from './sqlite-prefix.js';
import { buildSqliteWhere, EVENTS_TABLE_LEAVES, type SqlWhere } from './sqlite-query.js';

/**
 * The share of the counting budget a search by the number rollups may take (checking the events of
 * a bucket a bound cuts through, walking the ends of the time range) before it gives up and the
 * bounded count (`sqlite-bounded.ts`) answers with the rest.
 */
export const NUMBER_ROLLUP_SHARE = 0.4;

/** A number range on a field with number rollups, and the service / level terms beside it. */
interface Shape {
  readonly range: RangeNode;
  readonly field: number;
  readonly rest: readonly QueryNode[];
}

const numberBound = (b: RangeBound | undefined): NumberBound | undefined =>
  b?.value.type === 'number' ? { value: b.value.value, inclusive: b.inclusive } : undefined;

/** The query as one number range ANDed with service / level terms, when its field has rollups. */
function shapeOf(db: Database.Database, q: ParsedQuery): Shape | undefined {
  const nodes = q.root.kind === 'and' ? q.root.children : [q.root];
  const ranges = nodes.filter((n): n is RangeNode => n.kind === 'range');
  const range = ranges[0];
  if (ranges.length !== 1 || !range) return undefined;
  const rest = nodes.filter((n) => n !== range);
  if (!rest.every((n) => answeredByRollups({ root: n }))) return undefined;
  if (![range.lower, range.upper].every((b) => b === undefined || b.value.type === 'number'))
    return undefined;
  if (!NUMBER_FIELDS.has(range.field) && fieldType(range.field) !== 'attribute') return undefined;
  if (!hasFieldStats(db)) return undefined;
  const row = db.prepare('SELECT id, numeric FROM number_fields WHERE field = ?').get(range.field) as
    | { id: number; numeric: number }
    | undefined;
  return row?.numeric === 1 ? { range, field: row.id, rest } : undefined;
}

/** True when `q` is a number range (with service / level terms) on a field with number rollups. */
export const hasNumberRollups = (db: Database.Database, q: ParsedQuery): boolean =>
  shapeOf(db, q) !== undefined;

const and = (nodes: readonly QueryNode[]): ParsedQuery => ({
  root: nodes.length === 1 ? (nodes[0] as QueryNode) : { kind: 'and', children: [...nodes] },
});
const toBound = (b: NumberBound | undefined): RangeBound | undefined =>
  b && { value: { type: 'number', value: b.value }, inclusive: b.inclusive };
/** The tighter of two lower (`dir` 1) or upper (`dir` -1) bounds. */
function tighter(
  a: NumberBound | undefined,
  b: NumberBound | undefined,
  dir: 1 | -1,
): NumberBound | undefined {
  if (!a || !b) return a ?? b;
  if (a.value !== b.value) return (a.value - b.value) * dir > 0 ? a : b;
  return a.inclusive ? b : a;
}

/** Count rows per slot (b = slot start). */
type SlotRows = CountRow[];

/** Where a search by the number rollups got to. */
export interface NumberRollupAnswer {
  /** Count rows per histogram bucket, service and level: every match of the range. */
  readonly rows: CountRow[];
  /** The first `keep` matches in `sort` order. */
  readonly keys: RowKey[];
}

/**
 * Counts a number range (with service / level terms) exactly from the number rollups
 * (`sinks/sqlite/field-stats.ts`): the buckets wholly inside the range from `rollup_number`, the
 * at most two buckets a bound cuts through by checking their events (field index candidates), the
 * partial 10-minute slots at the ends of the time range by walking their events; then reads the
 * first `keep` matches in `sort` order from the slots the counts say hold them. Undefined when it
 * cannot (another query shape, a field without rollups, an interval not a multiple of 10 minutes,
 * or the checks ran past `deadline`): the caller counts as before.
 */
export function numberRollupSearch(
  db: Database.Database,
  q: ParsedQuery,
  range: { from: number; to: number; intervalMs: number; now: number },
  page: { sort: 'asc' | 'desc'; keep: number },
  deadline: number,
  /** Filled, when it declines a query with one number range, with why (`partial.numberRollup`). */
  why: { declined?: string } = {},
): NumberRollupAnswer | undefined {
  const { from, to, intervalMs, now } = range;
  const shape = shapeOf(db, q);
  if (!shape) {
    const nodes = q.root.kind === 'and' ? q.root.children : [q.root];
    const rest = nodes.filter((n) => n.kind !== 'range');
    if (nodes.length - rest.length === 1 && !rest.every((n) => answeredByRollups({ root: n })))
      why.declined = 'the range is combined with terms other than service.name / log.level';
    return undefined;
  }
  if (intervalMs % NUMBER_SLOT_MS !== 0) {
    why.declined = 'the time range is under 10 h (a histogram interval under 10 minutes)';
    return undefined;
  }
  const s0 = Math.ceil(from / NUMBER_SLOT_MS) * NUMBER_SLOT_MS;
  const s1 = Math.floor(to / NUMBER_SLOT_MS) * NUMBER_SLOT_MS;
  if (s0 >= s1) return undefined;
  const lower = numberBound(shape.range.lower);
  const upper = numberBound(shape.range.upper);
  const cover = coverBuckets(lower, upper);
  const slots: SlotRows = [];
  // A bound that cuts a dense bucket: checking its events would take longer than counting as before.
  for (const b of cover.empty ? [] : cover.partial)
    if (candidates(db, shape.field, b) * COST.lookup > (deadline - performance.now()) * 1000) {
      why.declined = 'a bound cuts a number bucket holding too many events to check in time';
      return undefined;
    }
  if (!cover.empty) {
    // Buckets wholly inside the range, from the rollups.
    const rest = buildSqliteWhere(and(shape.rest.length > 0 ? shape.rest : [{ kind: 'all' }]), {
      from: s0,
      to: s1,
    });
    const buckets = bucketCondition(cover, cover.points);
    slots.push(
      ...(db
        .prepare(
          `SELECT ts AS b, service, level, max(level_num) AS level_num, sum(n) AS n FROM rollup_number
           WHERE ${liveTerm('ts')} AND field = ? AND (${buckets.sql}) AND ${rest.sql} GROUP BY 1, 2, 3`,
        )
        .all(shape.field, ...buckets.params, ...rest.params) as CountRow[]),
    );
    // The buckets a bound cuts through: their events, checked.
    for (const b of cover.partial) {
      const limits = openBucketRange(b);
      const part: RangeNode = {
        kind: 'range',
        field: shape.range.field,
        ...(tighter(lower, limits.lower, 1) ? { lower: toBound(tighter(lower, limits.lower, 1)) } : {}),
        ...(tighter(upper, limits.upper, -1) ? { upper: toBound(tighter(upper, limits.upper, -1)) } : {}),
      };
      const where = buildSqliteWhere(
        and([part, ...shape.rest]),
        { from: s0, to: s1 },
        { now, leaves: STORE_LEAVES },
      );
      const pass = drivenPass(db, where, NUMBER_SLOT_MS, deadline);
      if (!pass) return undefined;
      slots.push(...pass.rows);
    }
  }
  // The partial slots at the ends of the time range: walked.
  const pred = buildSqliteWhere(q, {}, { now, leaves: EVENTS_TABLE_LEAVES });
  for (const [a, z] of [
    [from, s0],
    [s1, to],
  ] as const) {
    if (a >= z) continue;
    const walk = walkPass(db, pred, a, z, NUMBER_SLOT_MS, deadline, 0);
    if (walk.countedFrom !== undefined) return undefined;
    slots.push(...walk.rows);
  }
  return {
    rows: regroup(slots, intervalMs),
    keys: firstMatches(db, q, shape.rest, { from, to, now }, slots, page),
  };
}

/**
 * About how many candidates the field index gives for the events of the open bucket `bucket`
 * (whole store: the lookup is not limited in time): its buckets are a quarter of a power of two
 * wide and taken with one more on each side, about {@link CANDIDATES_PER_EVENT} times the numbers
 * of one two-digit bucket. Read from the bucket's rollup rows.
 */
function candidates(db: Database.Database, field: number, bucket: number): number {
  const n = db
    .prepare('SELECT sum(n) FROM rollup_number WHERE field = ? AND bucket = ?')
    .pluck()
    .get(field, bucket) as number | null;
  return (n ?? 0) * CANDIDATES_PER_EVENT;
}
const CANDIDATES_PER_EVENT = 8;

/** Slot rows regrouped per histogram bucket, service and level. */
function regroup(slots: SlotRows, intervalMs: number): CountRow[] {
  const m = new Map<string, { b: number; service: string; level: string; level_num: number; n: number }>();
  for (const r of slots) {
    if (r.n <= 0) continue;
    const b = r.b - (r.b % intervalMs);
    const k = `${b}\u0000${r.service}\u0000${r.level}`;
    const g = m.get(k);
    if (!g) m.set(k, { b, service: r.service, level: r.level, level_num: r.level_num, n: r.n });
    else {
      g.n += r.n;
      if (r.level_num > g.level_num) g.level_num = r.level_num;
    }
  }
  return [...m.values()];
}

/**
 * Rough costs, µs: an event read and checked from its JSON; a row number probed; the field index's
 * candidates per match read into a set (they are about twice the matches: its buckets are coarser);
 * a candidate looked up. Measured on the benchmark's 10M store: `duration>1000`'s page is read in
 * 40–100 ms walking 14 minutes of events, 140–350 ms probing its 140,000 candidates.
 */
const COST = { check: 5, probe: 0.3, candidate: 3, lookup: 10 };

/**
 * The first `keep` matches in `sort` order: the counts per slot say how far back (or forward) the
 * page reaches; that window is read the cheapest of three ways — walking the time index checking
 * each event (dense matches), walking it probing the field index's candidates (sparse matches),
 * or looking the candidates up (few matches in a wide window).
 */
function firstMatches(
  db: Database.Database,
  q: ParsedQuery,
  rest: readonly QueryNode[],
  range: { from: number; to: number; now: number },
  slots: SlotRows,
  page: { sort: 'asc' | 'desc'; keep: number },
): RowKey[] {
  const perSlot = new Map<number, number>();
  let total = 0;
  for (const r of slots) {
    perSlot.set(r.b, (perSlot.get(r.b) ?? 0) + r.n);
    total += r.n;
  }
  if (total === 0) return [];
  const desc = page.sort === 'desc';
  const order = [...perSlot.keys()].sort((a, b) => (desc ? b - a : a - b));
  let window = { from: range.from, to: range.to };
  let inWindow = total;
  let seen = 0;
  for (const s of order) {
    seen += perSlot.get(s) ?? 0;
    if (seen >= page.keep) {
      window = desc
        ? { from: Math.max(range.from, s), to: range.to }
        : { from: range.from, to: Math.min(range.to, s + NUMBER_SLOT_MS) };
      inWindow = seen;
      break;
    }
  }
  // Events in the window that the service / level terms select (a walk reads only those, through
  // the service or level index): from the minute rollup for a window of hours, the hour rollup beyond.
  const [minute, hour] = ROLLUPS;
  const rollup = window.to - window.from > 6 * hour.ms ? hour : minute;
  const selected = buildSqliteWhere(and(rest.length > 0 ? rest : [{ kind: 'all' }]), {
    from: window.from - (window.from % rollup.ms),
    to: window.to,
  });
  const events =
    (db
      .prepare(`SELECT sum(n) FROM ${rollup.table} WHERE ${selected.sql}`)
      .pluck()
      .get(...selected.params) as number | null) ?? 0;
  const reads = Math.min(events, (events / Math.max(1, inWindow)) * page.keep);
  const costs = {
    plain: reads * COST.check,
    probe: total * COST.candidate + events * COST.probe,
    lookup: total * COST.lookup,
  };
  const best = (Object.keys(costs) as (keyof typeof costs)[]).reduce((a, b) => (costs[b] < costs[a] ? b : a));
  const dir = desc ? 'DESC' : 'ASC';
  const w: SqlWhere = buildSqliteWhere(q, window, {
    now: range.now,
    leaves: best === 'plain' ? EVENTS_TABLE_LEAVES : STORE_LEAVES,
  });
  // A walk with service / level terms is left to SQLite's choice (their index in time order).
  const table =
    best === 'lookup'
      ? 'events NOT INDEXED'
      : best === 'plain' && rest.length > 0
        ? 'events'
        : 'events INDEXED BY events_ts';
  return db
    .prepare(
      `SELECT ts, seq FROM ${table} WHERE ${liveTerm('seq')} AND ${w.sql} ORDER BY ts ${dir}, seq ${dir} LIMIT ?`,
    )
    .all(...w.params, page.keep) as RowKey[];
}
