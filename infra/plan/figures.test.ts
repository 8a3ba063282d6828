import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIGURES } from './figures.js';

// The measured figures must be the ones docs/benchmarks.md reports (update both together).
const report = readFileSync(new URL('../../docs/benchmarks.md', import.meta.url), 'utf8');
const num = (text: string): number => Number(text.replace(/,/g, ''));

describe('FIGURES', () => {
  it.each(Object.entries(FIGURES).filter(([, f]) => f.kind === 'bench'))(
    '%s names a bench command and a section of docs/benchmarks.md',
    (_name, figure) => {
      expect(figure.source).toMatch(
        /^`node bin\/sluice\.js bench --only [a-z-]+ --no-write` \(\d{4}-\d{2}-\d{2}\)/,
      );
      const section = /"([^"]+)"/.exec(figure.source)?.[1] ?? '';
      expect(report).toMatch(new RegExp(`^## ${section}`, 'm'));
    },
  );

  it('sizes per byte of log text are the ratios docs/benchmarks.md reports', () => {
    const m =
      /log text ([\d,]+) B, CloudWatch gzip payload ([\d,]+) B,\s+JSON document ([\d,]+) B, \*\*on disk ([\d,]+) B per document/.exec(
        report,
      );
    expect(m).not.toBeNull();
    const [log, gzip, , disk] = (m as RegExpExecArray).slice(1).map(num) as [number, number, number, number];
    expect(FIGURES.rawStreamBytesPerLogByte.value).toBeCloseTo(gzip / log, 2);
    expect(FIGURES.diskBytesPerLogByte.value).toBeCloseTo(disk / log, 2);
  });

  it('CPU per GB figures are the rates docs/benchmarks.md reports', () => {
    // filters, realistic + default pack: MB/s per core → s per GB
    const filters = /\| realistic: \+ default pack \| ([\d.]+) \|/.exec(report)?.[1];
    expect(FIGURES.transformCpuSecondsPerGb.value).toBeCloseTo(1000 / Number(filters), 1);
    const e2e = /\*\*([\d.]+) client CPU-seconds per GB of raw log text\*\*/.exec(report)?.[1];
    expect(FIGURES.sinkCpuSecondsPerGb.value).toBe(Number(e2e));
  });
});
