/**
 * What each part of the store's write costs: `npx tsx dev/store-parts.ts [--events N] [--rounds R]`.
 *
 * The events are the search-scale bench's traffic (as in `dev/store-ingest.ts`), in the pipeline's
 * batches. Per round, each variant fills a fresh file the way `openSqliteStore`'s write does (the
 * same pragmas, rows from `toRow`, one transaction per batch) with one part left out: the full-text
 * rows, the field-index rows, the number rollups and value dictionaries (`field-stats.ts`), the
 * request / span / transaction / trace indexes, the service and level time indexes, or the `doc`
 * text. Prints each variant's median CPU-µs per event (this thread, `toRow` included) and what
 * leaving the part out saves. The machine may be shared: only differences within one run mean
 * anything, and the parts overlap (a smaller file makes every part cheaper).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createFieldStats } from '../sinks/sqlite/field-stats.js';
import { toRow } from '../sinks/sqlite/row.js';
import { SCHEMA_SQL } from '../sinks/sqlite/schema.js';
import { scaleBatches } from './scale-batches.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '60000' }, rounds: { type: 'string', default: '3' } },
});
const batches = await scaleBatches({
  events: Number(values.events),
  end: Date.UTC(2026, 11, 1),
  days: 7,
  seed: 42,
});
const n = batches.reduce((a, b) => a + b.length, 0);

type Part = 'fts' | 'fields' | 'stats' | 'ids' | 'times' | 'doc';
const VARIANTS: readonly [string, Part | undefined][] = [
  ['whole write', undefined],
  ['without full text', 'fts'],
  ['without field index', 'fields'],
  ['without number rollups, dictionaries', 'stats'],
  ['without request/span/tx/trace indexes', 'ids'],
  ['without service/level time indexes', 'times'],
  ['without doc text', 'doc'],
];
const dir = mkdtempSync(join(tmpdir(), 'sluice-store-parts-'));

/** CPU-µs per event of one fill without `skip`. */
function fill(file: string, skip: Part | undefined): number {
  const db = new Database(file);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  db.exec(SCHEMA_SQL);
  if (skip === 'ids')
    db.exec(
      'DROP INDEX events_transaction; DROP INDEX events_trace; DROP INDEX events_request_id; DROP INDEX events_span_id;',
    );
  if (skip === 'times') db.exec('DROP INDEX events_service_ts; DROP INDEX events_level_ts;');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO events (id, ts, level, level_num, service, transaction_id, trace_id, doc, faas_execution, span_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const fts = db.prepare('INSERT INTO events_fts (rowid, message, error_text) VALUES (?, ?, ?)');
  const fields = db.prepare('INSERT INTO fields_fts (rowid, tokens) VALUES (?, ?)');
  const stats = createFieldStats(db);
  const c0 = process.cpuUsage();
  for (const batch of batches) {
    const rows = batch.flatMap((e) => {
      const r = toRow(e);
      return r.ok ? [r.stored] : [];
    });
    db.transaction(() => {
      for (const s of rows) {
        const r = s.row;
        const doc = skip === 'doc' ? '{}' : r.doc;
        const { lastInsertRowid } = insert.run(
          r.id,
          r.ts,
          r.level,
          r.level_num,
          r.service,
          r.transaction_id,
          r.trace_id,
          doc,
          r.faas_execution,
          r.span_id,
        );
        const seq = Number(lastInsertRowid);
        if (skip !== 'fts' && (s.message !== '' || s.errorText !== '')) fts.run(seq, s.message, s.errorText);
        if (skip !== 'fields' && s.fieldTokens !== '') fields.run(seq, s.fieldTokens);
        if (skip !== 'stats') stats.addFacts(s.facts, r);
      }
      if (skip !== 'stats') stats.flush();
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

const fmt = (x: number): string => x.toFixed(1);
console.log(`load ${loadavg().map(fmt).join(' ')}; ${n} events`);
const results = new Map<string, number[]>();
let k = 0;
for (let r = 0; r < Number(values.rounds); r++)
  for (const [name, skip] of VARIANTS) {
    const file = join(dir, `p${k++}.db`);
    results.set(name, [...(results.get(name) ?? []), fill(file, skip)]);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  }
rmSync(dir, { recursive: true, force: true });
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const whole = median(results.get('whole write') ?? []);
for (const [name, xs] of results)
  console.log(
    `${name.padEnd(40)} ${fmt(median(xs))} CPU-µs/event${name === 'whole write' ? '' : `, saves ${fmt(whole - median(xs))}`} (${xs.map(fmt).join(' ')})`,
  );
console.log(`load ${loadavg().map(fmt).join(' ')}`);
