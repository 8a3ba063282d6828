import { describe, expect, it } from 'vitest';
import { logEvent, T0 } from '../../test/factories/search-events.js';
import type { DeadLetter } from '../dead-letters/types.js';
import { KINESIS_ERROR_CODES, KinesisSinkError } from './errors.js';
import { createKinesisEventSink } from './sink.js';
import type { KinesisEventWriter, KinesisPutResult } from './writer.js';

/** A writer that reports the given fates (the real one is tested against moto in writer.int.test.ts). */
const writerReporting = (fates: KinesisPutResult[]): KinesisEventWriter => ({
  async write() {
    return {
      results: fates,
      errors: fates.map((f) =>
        f === 'put' ? undefined : new KinesisSinkError(KINESIS_ERROR_CODES.putFailed, `entry ${f}`),
      ),
      counts: { put: 0, rejected: 0, not_delivered: 0 },
      stats: { records: 1, requests: 1, attempts: 1 },
    };
  },
});
const events = ['a', 'b', 'c'].map((id) => logEvent(id, T0, 's', 'info', id));

describe('createKinesisEventSink', () => {
  it('reports put as indexed, dead-letters rejected events (stage transform) and hands back the rest', async () => {
    const letters: DeadLetter[] = [];
    const sink = createKinesisEventSink({
      writer: writerReporting(['put', 'rejected', 'not_delivered']),
      deadLetters: {
        async put(l) {
          letters.push(...l);
        },
      },
      now: () => new Date(T0),
    });
    const report = await sink.write(events);
    expect(report.results).toEqual(['indexed', 'dead_lettered', 'not_delivered']);
    expect(report.counts).toEqual({ indexed: 1, duplicate: 0, dead_lettered: 1, not_delivered: 1 });
    expect(letters).toEqual([
      {
        id: 'transform:b',
        at: new Date(T0).toISOString(),
        stage: 'transform',
        error: { code: KINESIS_ERROR_CODES.putFailed, message: 'entry rejected' },
        original: events[1],
      },
    ]);
    expect(report.deadLetteredByCode).toEqual({ [KINESIS_ERROR_CODES.putFailed]: 1 });
  });

  it('reports a rejected event not_delivered when the dead-letter store fails', async () => {
    const sink = createKinesisEventSink({
      writer: writerReporting(['rejected', 'put', 'put']),
      deadLetters: {
        async put() {
          throw new Error('bucket gone');
        },
      },
    });
    expect((await sink.write(events)).results).toEqual(['not_delivered', 'indexed', 'indexed']);
  });
});
