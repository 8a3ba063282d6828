import type Database from 'better-sqlite3';
import { NUMBER_SLOT_MS } from '../sinks/sqlite/field-stats.js';
import { bucketCondition, coverBuckets, type NumberBound } from '../sinks/sqlite/number-buckets.js';
import { ROLLUPS } from '../sinks/sqlite/schema.js';
import type { QueryNode, RangeBound, RangeNode, TermNode } from './query-ast.js';
import { rangeInWindow, type SeqWindow, STORE_LEAVES } from './sqlite-attributes.js';
import { COUNT_BUDGET_MS, planOf } from './sqlite-bounded.js';
import { liveTerm } from './sqlite-live.js';
import { hasFieldStats } from './sqlite-prefix.js';
import { buildSqliteWhere, EVENTS_TABLE_LEAVES, type SqlLeaves } from './sqlite-query.js';

/**
 * Rough costs, µs: an event of the time range read and checked from its JSON (a walk); a candidate
 * of the field index looked up by row number and checked (a driven pass); an event's entry of the
 * time index read for the range's row numbers (`seqWindow`: 50–270 ms for 360,000, warm / cold). Measured on the
 * benchmark's 10M store (`sqlite-number-rollup.ts` uses the same figures).
 */
const COST = { check: 5, lookup: 10, window: 0.3 };
/**
 * Candidates of the field index per match of a number range: its buckets are a quarter of a power
 * of two wide and taken with one more on each side, so a wide range reads about twice its matches.
 */
const CANDIDATES_PER_MATCH = 2;
/**
 * Candidates whose lookup is estimated at this many counting budgets are not read at all: the
 * estimate is about 4 times the cost measured for dense ranges (`duration>1000`'s 140,000
 * candidates over 6 h read in 330 ms), so past it a pass cannot finish in time.
 */
const HOPELESS = 4;
/**
 * Most events (from the rollups) a time range may hold for its row numbers to be read (a covering
 * read of the time index, `seqWindow`) so that a number range reads only their field index
 * entries: about 16 h of the benchmark's 10M-event week, 50–100 ms.
 */
const WINDOW_EVENTS = 1_000_000;

const numberBound = (b: RangeBound | undefined): NumberBound | undefined =>
  b?.value.type === 'number' ? { value: b.value.value, inclusive: b.inclusive } : undefined;

/** Every number range of `n` (under any AND / OR / NOT). */
function rangesOf(n: QueryNode, out: RangeNode[] = []): RangeNode[] {
  if (n.kind === 'and' || n.kind === 'or') for (const c of n.children) rangesOf(c, out);
  else if (n.kind === 'not') rangesOf(n.child, out);
  else if (n.kind === 'range') out.push(n);
  return out;
}

/**
 * The events of the whole store whose value of the range's field lies in a number bucket the range
 * spans (whole or cut), from the number rollups: about the field index's candidates for the range,
 * which are read for the whole store whatever the time range. Undefined when the field has no
 * number rollups (no rows, or values that are not all plain numbers).
 */
function rangeMatches(
  db: Database.Database,
  n: RangeNode,
  time?: { from: number; to: number },
): number | undefined {
  if (![n.lower, n.upper].every((b) => b === undefined || b.value.type === 'number')) return undefined;
  const row = db.prepare('SELECT id, numeric FROM number_fields WHERE field = ?').get(n.field) as
    | { id: number; numeric: number }
    | undefined;
  if (row?.numeric !== 1) return undefined;
  const cover = coverBuckets(numberBound(n.lower), numberBound(n.upper));
  if (cover.empty) return 0;
  const buckets = bucketCondition(cover, [...cover.points, ...cover.partial]);
  const params = [row.id, ...buckets.params];
  let inTime = '';
  if (time) {
    inTime = ' AND ts >= ? AND ts < ?';
    params.push(time.from - (time.from % NUMBER_SLOT_MS), time.to);
  }
  return (
    (db
      .prepare(`SELECT sum(n) FROM rollup_number WHERE field = ? AND (${buckets.sql})${inTime}`)
      .pluck()
      .get(...params) as number | null) ?? 0
  );
}

/**
 * The row numbers of the events of `[from, to)`, first to last (a covering read of the time
 * index: about 50 ms a million events when cached). Every event of the range has one of them, and
 * events are mostly written in time order, so the window holds little more than the range.
 */
function seqWindow(db: Database.Database, from: number, to: number): SeqWindow {
  const row = db
    .prepare(
      `SELECT min(seq) AS lo, max(seq) AS hi FROM events INDEXED BY events_ts WHERE ${liveTerm('seq')} AND ts >= ? AND ts < ?`,
    )
    .get(from, to) as { lo: number | null; hi: number | null };
  return { lo: row.lo ?? 0, hi: row.hi ?? -1 };
}

/** About how many events `[from, to)` holds, from the minute rollup (the hour rollup past 6 h). */
export function eventsIn(db: Database.Database, from: number, to: number): number {
  const [minute, hour] = ROLLUPS;
  const rollup = to - from > 6 * hour.ms ? hour : minute;
  return (
    (db
      .prepare(`SELECT sum(n) FROM ${rollup.table} WHERE ts >= ? AND ts < ?`)
      .pluck()
      .get(from - (from % rollup.ms), to) as number | null) ?? 0
  );
}

/** The time range a search is planned for, and the time relative ranges are read against. */
type PlanRange = { readonly from: number; readonly to: number; readonly now: number };

/**
 * What planning one search reads: the query, its time range, the counting budget, and the range's
 * event count from the rollups (read once, when a step first needs it).
 */
interface Plan {
  readonly db: Database.Database;
  readonly root: QueryNode;
  readonly range: PlanRange;
  readonly budgetMs: number;
  events(): number;
}

function planFor(db: Database.Database, root: QueryNode, range: PlanRange, budgetMs: number): Plan {
  let events: number | undefined;
  return { db, root, range, budgetMs, events: () => (events ??= eventsIn(db, range.from, range.to)) };
}

/**
 * The leaf translations for a number range: the store's (`STORE_LEAVES`), except that a number range whose field index candidates (whole store, from the number rollups) cost more to
 * look up than walking the time range's events, or {@link HOPELESS} counting budgets, or one budget
 * when the query's other terms have an index of their own, is translated plainly — checked on each event read
 * (`EVENTS_TABLE_LEAVES`: the very condition the field index's candidates are checked with, so the
 * same events match). SQLite then reads such a query through its other terms' index (free text, an
 * attribute value: a driven pass over their matches, each checked against the range) or walks the
 * time range (a range alone, or with service / level terms, over a short time range), instead of
 * reading hundreds of thousands of candidates first.
 */
function rangeLeaves(plan: Plan, base: SqlLeaves): SqlLeaves {
  const { db, root, range, budgetMs } = plan;
  const ranges = rangesOf(root);
  if (ranges.length === 0 || !hasFieldStats(db)) return base;
  let window: SeqWindow | undefined;
  const plain = new Set<RangeNode>();
  const costly = new Set<RangeNode>();
  const windowed = new Set<RangeNode>();
  for (const r of ranges) {
    const matches = rangeMatches(db, r);
    if (matches === undefined) continue;
    const events = plan.events();
    const lookups = matches * CANDIDATES_PER_MATCH * COST.lookup;
    const windowRead = events * COST.window;
    if (events > 0 && events <= WINDOW_EVENTS && lookups > windowRead) {
      // The candidates of the time range's row numbers only: about its matches (from the
      // rollups) times the share of the window that is the range's events.
      window ??= seqWindow(db, range.from, range.to);
      const inRange = rangeMatches(db, r, range) ?? 0;
      const spread = Math.max(1, window.hi - window.lo + 1) / events;
      const cost = windowRead + inRange * CANDIDATES_PER_MATCH * spread * COST.lookup;
      if (cost < Math.min(lookups, events * COST.check)) {
        windowed.add(r);
        continue;
      }
    }
    // Cheaper to walk, or far past the budget (a pass that cannot finish: the walk counts more).
    if (lookups > events * COST.check || lookups > HOPELESS * budgetMs * 1000) plain.add(r);
    else if (lookups > budgetMs * 1000) costly.add(r);
  }
  const inWindow = window && rangeInWindow(window);
  const leavesOf = (checked: ReadonlySet<RangeNode>): SqlLeaves =>
    checked.size === 0 && windowed.size === 0
      ? base
      : {
          ...base,
          range: (n, ctx) =>
            checked.has(n)
              ? EVENTS_TABLE_LEAVES.range(n, ctx)
              : windowed.has(n) && inWindow
                ? inWindow(n, ctx)
                : STORE_LEAVES.range(n, ctx),
        };
  if (costly.size > 0) {
    // Checked per event, do the other terms' indexes find the matches (a driven pass)?
    const all = leavesOf(new Set([...plain, ...costly]));
    const where = buildSqliteWhere({ root }, range, { now: range.now, leaves: all });
    if (planOf(db, where) === 'driven') return all;
  }
  return leavesOf(plain);
}

const COLUMN_OF: Readonly<Record<string, string>> = { 'service.name': 'service', 'log.level': 'level' };

/** The plain `service.name` / `log.level` terms ANDed at the top of `root` (not under OR / NOT). */
function columnTerms(root: QueryNode): TermNode[] {
  const nodes = root.kind === 'and' ? root.children : [root];
  return nodes.filter(
    (n): n is TermNode => n.kind === 'term' && !n.prefix && COLUMN_OF[n.field] !== undefined,
  );
}

/**
 * `leaves` with the top-level `service.name` / `log.level` terms of `root` kept off their indexes
 * (`+service IN (…)`: the same condition, which SQLite cannot answer with `events_service_ts`)
 * when the rollups say the time range holds more events than the bounded walk (which tests every
 * event of the range) tests in the budget and the query's other terms have an index: SQLite then reads the other terms' matches
 * (`service.name:payments declined`: the 42,000 events with `declined`, each checked for its
 * service) instead of walking half a million of the service's events and testing each one.
 */
function columnLeaves(plan: Plan, leaves: SqlLeaves): SqlLeaves {
  const { db, root, range, budgetMs } = plan;
  const terms = columnTerms(root);
  const rest = root.kind === 'and' ? root.children.length - terms.length : 0;
  if (terms.length === 0 || rest === 0) return leaves;
  // The bounded walk tests every event of the time range, whatever the service / level terms.
  if (plan.events() * COST.check <= budgetMs * 1000) return leaves;
  const off = new Set<QueryNode>(terms);
  const unindexed: SqlLeaves = {
    ...leaves,
    term: (n, ctx) => {
      if (!off.has(n)) return leaves.term(n, ctx);
      ctx.params.push(...n.values);
      return `+${COLUMN_OF[n.field]} IN (${n.values.map(() => '?').join(', ')})`;
    },
  };
  const where = buildSqliteWhere({ root }, range, { now: range.now, leaves: unindexed });
  return planOf(db, where) === 'driven' ? unindexed : leaves;
}

/**
 * The leaf translations a search over `[from, to)` uses (its count, its page and a further page):
 * the store's (`STORE_LEAVES`), with a costly number range checked per event (`rangeLeaves`) and
 * the service / level terms kept off their indexes when the other terms' indexes read fewer events
 * (`columnLeaves`). Every translation is the same condition, so the same events match; only the
 * way SQLite reads them changes. A leaf is known by its node: build the condition from the same
 * parsed query. `budgetMs`: the counting budget (what a walk or a pass may take).
 */
export function searchLeaves(
  db: Database.Database,
  root: QueryNode,
  range: PlanRange,
  budgetMs: number = COUNT_BUDGET_MS,
): SqlLeaves {
  const plan = planFor(db, root, range, budgetMs);
  return rangeLeaves(plan, columnLeaves(plan, STORE_LEAVES));
}

/**
 * The leaf translations a further page (`/api/events`, export) uses: {@link searchLeaves}'s for
 * number ranges, but service / level terms stay on their indexes — a page in time order walks a
 * service's events newest first and stops at the page, which a pass over another term's matches
 * (read whole, then sorted) does not.
 */
export function pageLeaves(
  db: Database.Database,
  root: QueryNode,
  range: PlanRange,
  budgetMs: number = COUNT_BUDGET_MS,
): SqlLeaves {
  return rangeLeaves(planFor(db, root, range, budgetMs), STORE_LEAVES);
}
