/**
 * What the store keeps about field values besides the events (layout 4), so that number ranges and
 * prefixes are answered from small tables instead of reading hundreds of thousands of events:
 *
 * - **number rollups** `rollup_number`: events per (number field, number bucket of
 *   `number-buckets.ts`, 10 minutes, service, level), for the schema's number fields and the
 *   `attributes.*` paths whose values are plain numbers, registered in `number_fields` the first
 *   time they are seen (so every stored event of a registered path is counted) up to
 *   {@link MAX_NUMBER_FIELDS}; a path that also holds an object or an array of numbers (a range
 *   on it compares their members) is marked `numeric = 0` and not answered from them.
 * - **value dictionaries** `field_values`: the distinct values ever stored of the keyword fields in
 *   `DICTIONARY_FIELDS` (`field-index.ts`), up to {@link MAX_FIELD_VALUES} per field (past it, or when a value
 *   is not a short string, the field is listed in `field_values_full` and its values dropped), so
 *   that a prefix becomes the values it matches. Retention does not remove values: a stale value
 *   only adds a lookup that finds nothing.
 *
 * Kept by the store in the transaction of each batch, aggregated per batch in JS (one upsert per
 * distinct row of a batch, not a trigger per event), and counted down by retention.
 */
import type Database from 'better-sqlite3';
import { MAX_INDEXED_VALUE_CHARS } from './attributes.js';
import { type FieldFacts, fieldIndex, NUMBER_FIELDS } from './field-index.js';
import { decimalBucket } from './number-buckets.js';

/** Width of a time slot of the number rollups, ms (a divisor of every histogram interval ≥ 10 min). */
export const NUMBER_SLOT_MS = 600_000;
/** Most `attributes.*` paths registered for number rollups (a hostile attribute set stops here). */
export const MAX_NUMBER_FIELDS = 256;
/** Most distinct values a field's dictionary keeps. */
export const MAX_FIELD_VALUES = 1000;

export const FIELD_STATS_SQL = `
CREATE TABLE IF NOT EXISTS number_fields (
  id      INTEGER PRIMARY KEY,
  field   TEXT    NOT NULL UNIQUE,
  numeric INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rollup_number (
  field     INTEGER NOT NULL,
  bucket    INTEGER NOT NULL,
  ts        INTEGER NOT NULL,
  service   TEXT    NOT NULL,
  level     TEXT    NOT NULL,
  level_num INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (field, bucket, ts, service, level)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS field_values (
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (field, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS field_values_full (field TEXT PRIMARY KEY) WITHOUT ROWID;
`;

/** The columns of a stored event the rollups group by. */
export interface StatsRow {
  readonly ts: number;
  readonly service: string;
  readonly level: string;
  readonly level_num: number;
}

/** The field statistics of one store connection (the only writer). */
export interface FieldStats {
  /**
   * Counts the numbers and values of an event just stored, from the facts its field-index walk
   * gathered (`fieldIndex` in `field-index.ts`; `row.ts` keeps them with the stored row).
   */
  addFacts(facts: FieldFacts, row: StatsRow): void;
  /** Counts the numbers and values of an event just stored (the event or its stored `doc`). */
  add(event: unknown, row: StatsRow): void;
  /** Counts down the numbers of an event just deleted (its stored `doc`, parsed). */
  remove(doc: unknown, row: StatsRow): void;
  /** Writes what was counted since the last flush; call inside the batch's transaction. */
  flush(): void;
  /** Forgets what was counted and reloads the registry (after a transaction rolled back). */
  reset(): void;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Delta {
  field: number;
  bucket: number;
  ts: number;
  service: string;
  level: string;
  level_num: number;
  n: number;
}

/** Opens the statistics of `db` (whose layout has {@link FIELD_STATS_SQL}). */
export function createFieldStats(db: Database.Database): FieldStats {
  const insertField = db.prepare('INSERT INTO number_fields (field, numeric) VALUES (?, ?)');
  const notNumeric = db.prepare('UPDATE number_fields SET numeric = 0 WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO rollup_number (field, bucket, ts, service, level, level_num, n) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  );
  const dropEmpty = db.prepare(
    'DELETE FROM rollup_number WHERE field = ? AND bucket = ? AND ts = ? AND service = ? AND level = ? AND n <= 0',
  );
  const insertValue = db.prepare('INSERT OR IGNORE INTO field_values (field, value) VALUES (?, ?)');
  const markFull = db.prepare('INSERT OR IGNORE INTO field_values_full (field) VALUES (?)');
  const dropValues = db.prepare('DELETE FROM field_values WHERE field = ?');

  let fields = new Map<string, { id: number; numeric: boolean }>();
  let attributeFields = 0;
  let values = new Map<string, Set<string> | 'full'>();
  let deltas = new Map<string, Delta>();
  let newValues: [string, string][] = [];
  let newlyFull = new Set<string>();

  const load = (): void => {
    fields = new Map();
    for (const r of db.prepare('SELECT id, field, numeric FROM number_fields').all() as {
      id: number;
      field: string;
      numeric: number;
    }[])
      fields.set(r.field, { id: r.id, numeric: r.numeric === 1 });
    attributeFields = [...fields.keys()].filter((f) => f.startsWith('attributes.')).length;
    for (const f of NUMBER_FIELDS) if (!fields.has(f)) register(f, true);
    values = new Map();
    for (const r of db.prepare('SELECT field, value FROM field_values').all() as {
      field: string;
      value: string;
    }[]) {
      const set = values.get(r.field) ?? new Set<string>();
      if (set !== 'full') set.add(r.value);
      values.set(r.field, set);
    }
    for (const r of db.prepare('SELECT field FROM field_values_full').all() as { field: string }[])
      values.set(r.field, 'full');
    deltas = new Map();
    newValues = [];
    newlyFull = new Set();
  };

  /** The registry entry of a path, registering it (first sight) while there is room. */
  function register(field: string, numeric: boolean): { id: number; numeric: boolean } | undefined {
    const known = fields.get(field);
    if (known) return known;
    if (field.startsWith('attributes.')) {
      if (attributeFields >= MAX_NUMBER_FIELDS) return undefined;
      attributeFields += 1;
    }
    const entry = { id: Number(insertField.run(field, numeric ? 1 : 0).lastInsertRowid), numeric };
    fields.set(field, entry);
    return entry;
  }

  const notANumberField = (field: string): void => {
    const entry = register(field, false);
    if (entry?.numeric) {
      entry.numeric = false;
      notNumeric.run(entry.id);
    }
  };

  function count(field: string, v: number, row: StatsRow, n: number): void {
    const entry = n > 0 ? register(field, true) : fields.get(field);
    if (!entry?.numeric) return;
    const bucket = decimalBucket(v);
    const ts = row.ts - (row.ts % NUMBER_SLOT_MS);
    const key = `${entry.id}\u0000${bucket}\u0000${ts}\u0000${row.service}\u0000${row.level}`;
    const d = deltas.get(key);
    if (d) d.n += n;
    else
      deltas.set(key, {
        field: entry.id,
        bucket,
        ts,
        service: row.service,
        level: row.level,
        level_num: row.level_num,
        n,
      });
  }

  function full(field: string): void {
    values.set(field, 'full');
    newlyFull.add(field);
  }

  function remember(field: string, v: unknown): void {
    const set = values.get(field) ?? new Set<string>();
    if (set === 'full') return;
    if (typeof v !== 'string' || v.length > MAX_INDEXED_VALUE_CHARS) {
      full(field);
      return;
    }
    if (set.has(v)) return;
    if (set.size >= MAX_FIELD_VALUES) {
      full(field);
      return;
    }
    set.add(v);
    values.set(field, set);
    newValues.push([field, v]);
  }

  function addFacts(facts: FieldFacts, row: StatsRow): void {
    const { numbers, values } = facts;
    for (let i = 0; i < numbers.length; i += 2) {
      const v = numbers[i + 1];
      if (typeof v === 'number') count(numbers[i] as string, v, row, 1);
      else notANumberField(numbers[i] as string);
    }
    for (let i = 0; i < values.length; i += 2) remember(values[i] as string, values[i + 1]);
  }

  load();
  return {
    addFacts,
    add(event, row) {
      if (isObject(event)) addFacts(fieldIndex(event, false).facts, row);
    },
    remove(doc, row) {
      if (!isObject(doc)) return;
      const { numbers } = fieldIndex(doc, false).facts;
      for (let i = 0; i < numbers.length; i += 2) {
        const v = numbers[i + 1];
        if (typeof v === 'number') count(numbers[i] as string, v, row, -1);
      }
    },
    flush() {
      for (const d of deltas.values()) {
        if (d.n === 0) continue;
        upsert.run(d.field, d.bucket, d.ts, d.service, d.level, d.level_num, d.n);
        if (d.n < 0) dropEmpty.run(d.field, d.bucket, d.ts, d.service, d.level);
      }
      deltas = new Map();
      for (const [field, v] of newValues) if (!newlyFull.has(field)) insertValue.run(field, v);
      for (const field of newlyFull) {
        markFull.run(field);
        dropValues.run(field);
      }
      newValues = [];
      newlyFull = new Set();
    },
    reset: load,
  };
}
