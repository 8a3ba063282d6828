import { describe, expect, it } from 'vitest';
import { compileNormalizer } from '../../transform/normalize.js';
import { readSamples } from './samples.js';

const normalizer = compileNormalizer({ now: () => new Date('2026-12-05T00:00:00Z') });
const rec = (n: number) => ({
  timeUnixNano: String(1_700_000_000_000_000_000 + n),
  severityText: 'INFO',
  body: { stringValue: `record ${n}` },
});

describe('readSamples', () => {
  it('reads a LogEvent line as itself and a raw line through the normaliser', () => {
    const samples = readSamples('\nplain text line\n', 'a.log', normalizer, '/aws/lambda/x');
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({
      label: 'a.log:2',
      as: 'raw line',
      event: { message: 'plain text line' },
    });
  });

  it('gives every record of an OTLP resourceLogs batch line its own sample', () => {
    const line = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [rec(1), rec(2), rec(3)] }] }],
    });
    const samples = readSamples(line, 'otlp.log', normalizer, '/aws/lambda/collector');
    expect(samples.map((s) => [s.label, s.event.message])).toEqual([
      ['otlp.log:1 record 1', 'record 1'],
      ['otlp.log:1 record 2', 'record 2'],
      ['otlp.log:1 record 3', 'record 3'],
    ]);
  });
});
