import type Database from 'better-sqlite3';
import { SEARCH_ERROR_CODES, SearchStoppedError } from './errors.js';

/**
 * Stopping a search inside SQLite. better-sqlite3 has no `sqlite3_interrupt` and no progress
 * handler (WiseLibs/better-sqlite3#568, #707), and `Worker.terminate()` cannot stop native code: a
 * statement runs on until it next returns to JavaScript. So every statement of a search that can
 * read many rows has a WHERE term ({@link liveTerm}) that calls back into JavaScript on about one
 * row in 256 it reads — the function {@link LIVE_FN} — and that function throws once the search
 * was stopped, which aborts the statement (SQLite ends it and better-sqlite3 rethrows the error).
 * A terminated worker stops the same way: its next call into JavaScript fails.
 */
export const LIVE_FN = 'sluice_live';

/** Rows of a run of consecutive row numbers checked: {@link CHECKED} of every 65,536. */
const CHECKED = 256;
/** A sequential scan between two checks never reads more rows than this (see {@link pickMultiplier}). */
export const MAX_CHECK_GAP = 1024;

/**
 * An odd multiplier, random per process, under which the checked row numbers — those `x` with
 * `x · k mod 65536 < 256` — are spread so that no run of consecutive numbers longer than
 * {@link MAX_CHECK_GAP} misses one. Random, so that which rows are checked cannot be planned by
 * whoever writes the events (a query whose matches all fall between checks would not stop).
 */
export function pickMultiplier(random: () => number = Math.random): number {
  for (;;) {
    const k = (Math.floor(random() * 2 ** 15) * 2 + 1) | 0;
    const hits: number[] = [];
    for (let x = 0; x < 65_536; x++) if (((x * k) & 0xffff) < CHECKED) hits.push(x);
    let gap = (hits[0] as number) + 65_536 - (hits.at(-1) as number);
    for (let i = 1; i < hits.length; i++) gap = Math.max(gap, (hits[i] as number) - (hits[i - 1] as number));
    if (gap <= MAX_CHECK_GAP) return k;
  }
}

const MULTIPLIER = pickMultiplier();

/**
 * The WHERE term that checks, on about one row in 256, that the search is still wanted: `column`
 * is an integer column of the table read (the row number, or a time for the rollups), so the
 * term is evaluated on every row that table's loop reads, before the other terms (put it first).
 * `likelihood(…, 1.0)` tells the planner it filters nothing, so the plan is the one without it.
 */
export function liveTerm(column: string): string {
  return `likelihood(CASE WHEN ((${column} * ${MULTIPLIER}) & 65535) >= ${CHECKED} THEN 1 ELSE ${LIVE_FN}() END, 1.0)`;
}

/** The error the check throws: the statement is aborted with it. */
export const stoppedWhileRunning = (): SearchStoppedError =>
  new SearchStoppedError(SEARCH_ERROR_CODES.cancelled, 'the search was stopped while it ran');

/** Thrown by the check past the deadline of {@link untilDeadline}: the statement ran out of time. */
class DeadlinePassed extends Error {}

/** Per connection: the `performance.now()` time past which the check ends the statement. */
const deadlines = new WeakMap<Database.Database, number>();

/**
 * Registers {@link LIVE_FN} on a connection that searches the store: it returns 1 until
 * `stopped()` says the running search was stopped, then throws. Idempotent.
 */
export function registerLive(db: Database.Database, stopped: () => boolean = () => false): void {
  db.function(LIVE_FN, { deterministic: false }, () => {
    if (stopped()) throw stoppedWhileRunning();
    const deadline = deadlines.get(db);
    if (deadline !== undefined && performance.now() > deadline) throw new DeadlinePassed();
    return 1;
  });
}

/**
 * Runs `read` (statements with {@link liveTerm}) until `deadline` (a `performance.now()` time): a
 * statement still running then ends at its next check, even one that reads many rows for each it
 * returns. True when `read` finished, false when the deadline ended it (what it kept is partial).
 */
export function untilDeadline(db: Database.Database, deadline: number, read: () => void): boolean {
  deadlines.set(db, deadline);
  try {
    read();
    return true;
  } catch (err) {
    if (err instanceof DeadlinePassed) return false;
    throw err;
  } finally {
    deadlines.delete(db);
  }
}
