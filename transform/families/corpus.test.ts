import { describe, expect, it } from 'vitest';
import { runSluice } from '../../test/factories/cli.js';
import { encodeCwlData, kinesisEventOf, makeEnvelope } from '../../test/factories/cwl.js';
import { type LogEvent, LogEventSchema } from '../schema.js';
import { CORPUS } from './corpus.js';
import type { FamilySample } from './family.js';

/** The input `sluice process` reads for a family's samples, in one of the three shapes it detects. */
const MODES = {
  /** Each sample as a raw log line (samples with a `\n` inside cannot be one line, and are left out). */
  raw: (samples: readonly FamilySample[]) => ({
    samples: samples.filter((s) => !s.line.includes('\n')),
    stdin: (lines: string[]) => `${lines.join('\n')}\n`,
  }),
  /** One CloudWatch Logs subscription payload (JSON) with every sample as a log event. */
  cloudwatch: (samples: readonly FamilySample[]) => ({
    samples,
    stdin: (lines: string[]) =>
      `${JSON.stringify(makeEnvelope(lines, { logGroup: '/aws/lambda/corpus' }))}\n`,
  }),
  /** A Lambda Kinesis event whose record carries the gzip payload, as the transform Lambda gets it. */
  kinesis: (samples: readonly FamilySample[]) => ({
    samples,
    stdin: (lines: string[]) =>
      `${JSON.stringify(kinesisEventOf([encodeCwlData(makeEnvelope(lines, { logGroup: '/aws/lambda/corpus' }))]))}\n`,
  }),
} as const;

const has = (o: unknown, path: string): boolean => {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return false;
    cur = (cur as Record<string, unknown>)[part];
  }
  return true;
};

describe.each(Object.keys(MODES) as (keyof typeof MODES)[])(
  'family corpus through sluice process (%s)',
  (mode) => {
    describe.each(CORPUS)('$family', ({ samples: all }) => {
      it('maps every real upstream sample to the expected fields', async () => {
        const { samples, stdin } = MODES[mode](all);
        const run = await runSluice(['process'], {
          stdin: stdin(samples.map((s) => s.line)),
        });
        expect(run.code, run.stderr).toBe(0);
        const events = run.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as LogEvent);
        expect(events).toHaveLength(samples.length);
        samples.forEach((sample, i) => {
          const event = events[i]!;
          expect(LogEventSchema.safeParse(event).success, sample.name).toBe(true);
          expect(event, sample.name).toMatchObject(sample.expect);
          for (const path of sample.absent ?? [])
            expect(has(event, path), `${sample.name}: ${path}`).toBe(false);
        });
      });
    });
  },
);
