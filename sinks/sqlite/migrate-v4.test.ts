import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../search/query.js';
import { createSqliteSearch } from '../../search/sqlite.js';
import { logEvent, T0 } from '../../test/factories/search-events.js';
import type { LogEvent } from '../../transform/schema.js';
import { LAYOUT4_LINK_INDEXES_SQL, LINK_COLUMNS, SCHEMA_VERSION } from './schema.js';
import { openSqliteStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-migrate-v4-'));
  dirs.push(dir);
  return join(dir, 'events.db');
};

/**
 * Transactions whose app lines carry a request id (`faas.execution`) and sometimes a span id,
 * platform lines (START/REPORT, some failed) with the request id only, lines with neither, and
 * values of other JSON types than strings (what `json_extract` gives for them is compared too).
 */
function traffic(): LogEvent[] {
  const out: LogEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const t = T0 + i * 60_000;
    const faas = { execution: `req-${i}`, name: 'orders' };
    out.push(
      logEvent(`s${i}`, t, 'orders', 'info', `START RequestId: req-${i}`, { faas }),
      logEvent(`a${i}`, t + 1, 'orders', 'info', 'order created', {
        faas,
        transaction: { id: `tx-${i}` },
        ...(i % 3 === 0 ? { span: { id: `sp-${i}` } } : {}),
      }),
      logEvent(`r${i}`, t + 2, 'orders', i % 4 === 0 ? 'error' : 'info', `REPORT RequestId: req-${i}`, {
        faas,
      }),
      logEvent(`p${i}`, t + 3, 'cron', 'info', `tick ${i}`),
    );
  }
  out.push(
    logEvent('odd1', T0 + 5, 'odd', 'info', 'number span', {
      span: { id: 42 },
    } as unknown as Partial<LogEvent>),
    logEvent('odd2', T0 + 6, 'odd', 'info', 'object request', {
      faas: { execution: { a: 1 } },
    } as unknown as Partial<LogEvent>),
    logEvent('odd3', T0 + 7, 'odd', 'info', 'boolean span', {
      span: { id: true },
    } as unknown as Partial<LogEvent>),
  );
  return out;
}

/** Turns a store file of this layout into one of layout 4 (expression indexes, no link columns). */
function toLayout4(path: string): void {
  const db = new Database(path);
  for (const c of LINK_COLUMNS) db.exec(`DROP INDEX ${c.index}; ALTER TABLE events DROP COLUMN ${c.column};`);
  db.exec(LAYOUT4_LINK_INDEXES_SQL);
  db.pragma('user_version = 4');
  db.close();
}

const QUERIES = [
  'faas.execution:req-3',
  'request:req-3,req-8',
  'span.id:sp-6',
  'span.id:* AND faas.execution:req-9',
  '-faas.execution:req-3',
  'faas.execution:req-1*',
  'span.id:42',
  'span.id:1',
  'faas.execution:req-3 OR span.id:sp-12',
];
const range = { from: T0 - 60_000, to: T0 + 41 * 60_000, limit: 200, offset: 0 };

/**
 * What a read-only reader (`sluice search`) answers on the file at `path`, and the query plan of
 * each statement it ran that reads a request or span id.
 */
async function readAll(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const ran: { sql: string; args: unknown[] }[] = [];
  const recording = new Proxy(db, {
    get(target, key) {
      if (key === 'prepare')
        return (sql: string) => {
          const stmt = target.prepare(sql);
          return new Proxy(stmt, {
            get(s, k) {
              const v: unknown = Reflect.get(s, k, s);
              if (typeof v !== 'function') return v;
              if (k === 'all' || k === 'get' || k === 'iterate')
                return (...args: unknown[]) => {
                  ran.push({ sql, args });
                  return v.apply(s, args);
                };
              return v.bind(s);
            },
          });
        };
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const search = createSqliteSearch(recording, { budgets: { countMs: 0, pageMs: 0 } });
  const answers: Record<string, unknown> = {};
  for (const q of QUERIES) {
    const r = await search.search({ query: parseQuery(q), ...range, exact: true });
    answers[q] = { total: r.total, ids: r.events.map((e) => e.event.id) };
  }
  answers.trace = await search.trace('tx-4');
  answers.links = await search.requestTransactions(['req-1', 'req-2', 'req-nope']);
  answers.map = await search.transactionServices({ ...range, maxTransactions: 100 });
  const plans = ran
    .filter((r) => /faas|span/.test(r.sql) && !r.sql.startsWith('EXPLAIN'))
    .map((r) => ({
      sql: r.sql,
      plan: (db.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(...r.args) as { detail: string }[]).map(
        (p) => p.detail,
      ),
    }));
  db.close();
  return { answers, plans };
}

describe('in-place upgrade of a layout 4 store', () => {
  it('moves the request and span ids into indexed columns (also after an interrupted upgrade); readers of either layout answer alike, on an index', async () => {
    const events = traffic();
    const path = tempDb();
    const first = openSqliteStore({ path });
    await first.write(events);
    await first.close();
    toLayout4(path);
    // An upgrade interrupted after its first steps: the columns are there, partly filled, and the
    // layout is still 4.
    const partial = new Database(path);
    partial.exec(
      `ALTER TABLE events ADD COLUMN faas_execution; ALTER TABLE events ADD COLUMN span_id;
       UPDATE events SET faas_execution = json_extract(doc, '$."faas"."execution"') WHERE seq <= 50;`,
    );
    partial.close();

    // A reader that does not upgrade the file reads layout 4 through its expression indexes.
    const before = await readAll(path);

    const lines: string[] = [];
    const store = openSqliteStore({ path, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(new RegExp(`\\(${events.length} events\\) to layout ${SCHEMA_VERSION}`));
    expect(lines[1]).toMatch(/is upgraded \(\d+ s\)/);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const indexes = (
      store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    for (const c of LINK_COLUMNS) {
      expect(indexes).toContain(c.index);
      expect(indexes).not.toContain(c.was);
    }
    // The columns hold what a store written at this layout holds.
    const fresh = openSqliteStore({ path: ':memory:' });
    await fresh.write(events);
    const links = (db: Database.Database) =>
      db.prepare('SELECT id, faas_execution, span_id FROM events ORDER BY id').all();
    expect(links(store.db)).toEqual(links(fresh.db));
    expect(links(store.db)).toContainEqual({ id: 'odd1', faas_execution: null, span_id: 42 });
    expect(links(store.db)).toContainEqual({ id: 'odd2', faas_execution: '{"a":1}', span_id: null });
    await fresh.close();
    await store.close();
    const again: string[] = [];
    await openSqliteStore({ path, log: (l) => again.push(l) }).close();
    expect(again).toEqual([]);

    const after = await readAll(path);
    expect(after.answers).toEqual(before.answers);
    expect((before.answers['faas.execution:req-3'] as { total: number }).total).toBe(3);
    expect((before.answers['span.id:42'] as { total: number }).total).toBe(0);
    expect((before.answers.trace as { events: unknown[] }).events.length).toBeGreaterThan(1);

    // The same statements, each reading the ids through an index, with the same plans.
    // (layout 4's index names, and its constraint shown as `<expr>`, are layout 5's index and column)
    const renamed = (plan: string[]) =>
      plan.map((d) =>
        LINK_COLUMNS.reduce(
          (s, c) => s.replace(new RegExp(`\\b${c.was} \\(<expr>`), `${c.index} (${c.column}`),
          d,
        ),
      );
    expect(after.plans.length).toBeGreaterThan(QUERIES.length);
    expect(after.plans.map((p) => p.plan)).toEqual(before.plans.map((p) => renamed(p.plan)));
    // Every lookup by request or span id (all but the negation) reads its index.
    const lookups = after.plans.filter((p) => /\b(faas_execution|span_id) (= \?|IN \()/.test(p.sql));
    expect(lookups.filter((p) => !p.sql.includes('NOT coalesce(')).length).toBeGreaterThanOrEqual(12);
    for (const { sql, plan } of lookups.filter((p) => !p.sql.includes('NOT coalesce(')))
      expect(plan.join('\n'), sql).toMatch(/SEARCH (events|l) USING INDEX events_(request_id|span_id) /);
  });
});
