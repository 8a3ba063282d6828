import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.js';
import { buildSqliteWhere, ftsPhrase, jsonPath } from './sqlite-query.js';

describe('buildSqliteWhere', () => {
  it('binds every user value as a parameter, never in the SQL text', () => {
    const evil = `x' OR 1=1; DROP TABLE events; --`;
    const w = buildSqliteWhere(
      parseQuery(`service:"${evil}" attributes.k:"${evil}" "${evil}" attributes.k>"${evil}"`),
      { from: 1, to: 2 },
    );
    expect(w.sql).not.toContain('DROP');
    expect(w.sql).not.toContain("'x");
    expect(w.params).toContain(evil);
    expect(w.sql.split('?').length - 1).toBe(w.params.length);
  });

  it('uses indexed columns for known fields and the JSON document for the rest', () => {
    const w = buildSqliteWhere(parseQuery('service:orders attributes.order_id:o-1'), {});
    expect(w.sql).toMatch(/^\(service = \? AND EXISTS \(SELECT 1 FROM json_each\(events\.doc, \?\)/);
    expect(w.params).toEqual(['orders', '$."attributes"."order_id"', 'o-1']);
  });

  it('keeps events without the field under NOT (null-safe comparisons)', () => {
    expect(buildSqliteWhere(parseQuery('-tx:a'), {}).sql).toBe('NOT coalesce(transaction_id = ?, 0)');
  });

  it('quotes FTS5 input so operators and column filters in user text stay plain words', () => {
    expect(ftsPhrase('a" OR message:b', false)).toBe('"a"" OR message:b"');
    expect(ftsPhrase('pay', true)).toBe('"pay"*');
    const w = buildSqliteWhere(parseQuery('"NEAR(a b)" -c'), {});
    expect(w.params).toEqual(['"NEAR(a b)"', '"c"*']);
  });

  it('resolves relative times against the given now', () => {
    const w = buildSqliteWhere(parseQuery('@timestamp>=now-5m'), {}, { now: 1_000_000 });
    expect(w).toEqual({ sql: 'ts >= ?', params: [1_000_000 - 300_000] });
  });

  it('builds JSON paths with every segment quoted', () => {
    expect(jsonPath('attributes.http.status')).toBe('$."attributes"."http"."status"');
  });
});
