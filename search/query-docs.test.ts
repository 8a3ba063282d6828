import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from './errors.js';
import { FIELD_ALIASES, SCHEMA_FIELDS } from './fields.js';
import { parseQuery } from './query.js';

/** docs/query.md is a promise: every example it shows reads (or fails) as it says. */
const doc = readFileSync(new URL('../docs/query.md', import.meta.url), 'utf8')
  .split('\n')
  // Table rows as biome formats them (cells padded to the column width) read as `| a | b |`.
  .map((line) => (line.startsWith('|') ? line.replace(/ {2,}/g, ' ') : line))
  .join('\n');

/** The rows of the Markdown table under `heading`, as cells (code spans unwrapped). */
function table(heading: string): string[][] {
  const section = doc.slice(doc.indexOf(heading));
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(2)) {
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
    const next = section.split('\n')[section.split('\n').indexOf(line) + 1] ?? '';
    if (!next.startsWith('|')) break;
  }
  return rows;
}
const code = (cell: string): string => /^`(.*)`$/.exec(cell)?.[1] ?? cell;

describe('docs/query.md', () => {
  it.each(table('## Every construct').map((r) => [code(r[0] as string)]))('parses the example %s', (q) => {
    expect(() => parseQuery(q)).not.toThrow();
  });

  it.each(
    table('| query | at character | error |').map((r) => [
      code(r[0] as string),
      Number(r[1]),
      r[2] as string,
    ]),
  )('refuses %s at character %i as documented', (q, at, text) => {
    let err: unknown;
    try {
      parseQuery(q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QuerySyntaxError);
    expect((err as QuerySyntaxError).position + 1).toBe(at);
    expect((err as QuerySyntaxError).message).toContain((text.split(/[;(…]/)[0] as string).trim());
  });

  it('lists every schema field with its type, and every short name', () => {
    const listed: Record<string, string> = {};
    for (const [type, fields] of table('| type | fields | takes |')) {
      for (const f of (fields as string).matchAll(/`([^`]+)`/g)) listed[f[1] as string] = type as string;
    }
    delete listed['attributes.<any.path>'];
    expect(listed).toEqual({ ...SCHEMA_FIELDS });
    for (const alias of Object.keys(FIELD_ALIASES)) expect(doc).toContain(`\`${alias}\``);
  });
});
