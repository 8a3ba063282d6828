import { describe, expect, it } from 'vitest';
import { decodeCwlData } from '../../ingest/decode.js';
import { compileNormalizer } from '../../transform/normalize.js';
import { LogEventSchema } from '../../transform/schema.js';
import { generateKinesisPayloads, generateLogLines } from './payloads.js';

describe('generateKinesisPayloads', () => {
  const payloads = generateKinesisPayloads({ seed: 7, records: 40, eventsPerRecord: 100 });
  const sizes = payloads
    .flatMap((p) => p.envelope.logEvents.map((e) => Buffer.byteLength(e.message)))
    .sort((a, b) => a - b);

  it('is deterministic for a seed', () => {
    const again = generateKinesisPayloads({ seed: 7, records: 2, eventsPerRecord: 100 });
    expect(again.map((p) => p.base64)).toEqual(payloads.slice(0, 2).map((p) => p.base64));
    expect(generateKinesisPayloads({ seed: 8, records: 1, eventsPerRecord: 100 })[0]!.base64).not.toBe(
      payloads[0]!.base64,
    );
  });

  it('has the shape the benchmark promises: ~400 B median, a tail, gzip 5–10×', () => {
    expect(payloads.every((p) => p.envelope.logEvents.length === 100)).toBe(true);
    const median = sizes[sizes.length >> 1]!;
    expect(median).toBeGreaterThan(250);
    expect(median).toBeLessThan(600);
    expect(sizes.at(-1)!).toBeGreaterThan(16 * 1024);
    expect(sizes.at(-1)!).toBeLessThanOrEqual(256 * 1024);
    const json = payloads.reduce((n, p) => n + Buffer.byteLength(JSON.stringify(p.envelope)), 0);
    const gz = payloads.reduce((n, p) => n + p.gzip.length, 0);
    expect(json / gz).toBeGreaterThanOrEqual(5);
    expect(json / gz).toBeLessThanOrEqual(10);
  });

  it('decodes and normalises into valid LogEvents of every format', () => {
    const normalizer = compileNormalizer();
    const formats = new Set<string>();
    for (const p of payloads) {
      const r = decodeCwlData(p.base64);
      expect(r.kind).toBe('data');
      if (r.kind !== 'data') continue;
      for (const e of normalizer.envelope(r.envelope)) {
        formats.add(e.log.format);
        expect(LogEventSchema.safeParse(e).success).toBe(true);
      }
    }
    expect(formats).toEqual(
      new Set(['pino', 'powertools', 'text', 'lambda_text', 'lambda_json', 'lambda_platform']),
    );
  });
});

describe('generateLogLines', () => {
  it('writes about 10% plain text', () => {
    const normalizer = compileNormalizer();
    const lines = generateLogLines({ seed: 3, count: 5000 });
    const text = lines.filter(
      (l) => normalizer.line(l, { logGroup: '', logStream: 's', id: '1' }).log.format === 'text',
    );
    expect(text.length / lines.length).toBeGreaterThan(0.07);
    expect(text.length / lines.length).toBeLessThan(0.15);
  });
});
