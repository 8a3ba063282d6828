import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.js';
import { buildSqliteWhere, ftsPhrase, jsonPath } from './sqlite-query.js';

describe('buildSqliteWhere', () => {
  it('binds every user value as a parameter, never in the SQL text', () => {
    const evil = `x' OR 1=1; DROP TABLE events; --`;
    const w = buildSqliteWhere(parseQuery(`service:"${evil}" attributes.k:"${evil}" "${evil}"`), {
      from: 1,
      to: 2,
    });
    expect(w.sql).not.toContain('DROP');
    expect(w.sql).not.toContain("'");
    expect(w.params).toContain(evil);
    expect(w.sql.split('?').length - 1).toBe(w.params.length);
  });

  it('uses indexed columns for known fields and json_extract for the rest', () => {
    const w = buildSqliteWhere(parseQuery('service:orders attributes.order_id:o-1'), {});
    expect(w.sql).toBe('service = ? AND CAST(json_extract(doc, ?) AS TEXT) = ?');
    expect(w.params).toEqual(['orders', '$."attributes"."order_id"', 'o-1']);
  });

  it('quotes FTS5 input so operators and column filters in user text stay plain words', () => {
    expect(ftsPhrase('a" OR message:b', false)).toBe('"a"" OR message:b"');
    expect(ftsPhrase('pay', true)).toBe('"pay"*');
    const w = buildSqliteWhere(parseQuery('NEAR(a b) -c'), {});
    expect(w.params).toEqual(['"c"', '"NEAR(a" AND "b)"']);
  });

  it('matches nothing for free text without any word characters', () => {
    expect(buildSqliteWhere(parseQuery('"%%%"'), {}).sql).toBe('0');
    expect(buildSqliteWhere(parseQuery('-"%%%"'), {}).sql).toBe('1');
  });

  it('builds JSON paths with every segment quoted', () => {
    expect(jsonPath('attributes.http.status')).toBe('$."attributes"."http"."status"');
  });
});
