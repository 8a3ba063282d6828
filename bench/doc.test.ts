import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  BENCH_DOC_HEADER,
  BenchDocError,
  beginMarker,
  endMarker,
  mergeSections,
  type SuiteSection,
} from './doc.js';

const section = (name: string, body: string): SuiteSection => ({
  name,
  title: `Suite ${name}`,
  body,
  command: `npm run bench -- --only ${name}`,
  machine: 'test machine',
  date: '2026-12-05',
});

describe('mergeSections', () => {
  it("replaces only the run suite's section and keeps every line outside the markers", () => {
    const doc = [
      '# Benchmarks',
      'intro written by hand',
      beginMarker('a'),
      'old a',
      endMarker('a'),
      'notes about a, by hand',
      beginMarker('b'),
      'old b',
      endMarker('b'),
      'closing notes',
    ].join('\n');
    const out = mergeSections(doc, [section('a', 'new a table')]);
    expect(out).toContain('intro written by hand');
    expect(out).toContain('notes about a, by hand');
    expect(out).toContain('closing notes');
    expect(out).toContain('new a table');
    expect(out).not.toContain('old a');
    expect(out).toContain('old b');
    expect(out).toContain('_Suite `a`: `npm run bench -- --only a`, 2026-12-05, test machine._');
    // the new section sits where the old one was
    expect(out.indexOf('new a table')).toBeLessThan(out.indexOf('notes about a, by hand'));
  });

  it('appends a suite the page has no section for yet, and is stable when run again', () => {
    const once = mergeSections(BENCH_DOC_HEADER, [section('a', 'A'), section('b', 'B')]);
    expect(once.startsWith(BENCH_DOC_HEADER.trimEnd())).toBe(true);
    expect(once.indexOf(beginMarker('a'))).toBeLessThan(once.indexOf(beginMarker('b')));
    expect(mergeSections(once, [section('a', 'A'), section('b', 'B')])).toBe(once);
  });

  it.each([
    ['a begin without its end', [beginMarker('a'), 'x'].join('\n')],
    ['an end before its begin', [endMarker('a'), beginMarker('a')].join('\n')],
    ['two begins', [beginMarker('a'), beginMarker('a'), endMarker('a')].join('\n')],
  ])('refuses to write over %s', (_, doc) => {
    expect(() => mergeSections(doc, [section('a', 'new')])).toThrow(BenchDocError);
  });
});

describe('docs/benchmarks.md', () => {
  it('has well-formed markers: a run of every suite in it rewrites only the marked sections', async () => {
    const doc = await readFile(new URL('../docs/benchmarks.md', import.meta.url), 'utf8');
    const names = [...doc.matchAll(/<!-- bench:([\w-]+):begin -->/g)].map((m) => m[1]!);
    expect(names).toEqual([
      'filters',
      'start',
      'logger',
      'kinesis-pack',
      'opensearch',
      'transform',
      'lambda-memory',
      'time-to-searchable',
      'search-scale',
      'start-latency',
    ]);
    const out = mergeSections(
      doc,
      names.map((n) => section(n, 'regenerated')),
    );
    const outside = (text: string) =>
      text.replace(/<!-- bench:([\w-]+):begin -->[\s\S]*?<!-- bench:\1:end -->/g, '');
    expect(outside(out)).toBe(outside(doc));
    expect(outside(doc)).toContain('benchmarks-notes.md');
  });
});
