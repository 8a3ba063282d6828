import { describe, expect, it } from 'vitest';
import { SluiceError } from './errors.js';
import { drop, fail, keep } from './outcome.js';
import { emptyStageCounters, letterId, runStage, type StageFilter, type StageInput } from './stage.js';

interface Ev {
  event: { id: string };
  message: string;
  redaction?: { rules: string[] };
}
const ev = (id: string, message = id): Ev => ({ event: { id }, message });
const input = (source: number, events: Ev[]): StageInput<Ev, number> => ({
  source,
  normalize: () => events,
  id: `rec-${source}`,
  original: { data: `raw-${source}` },
});

class RuleError extends SluiceError {}

/** Keeps `keep*`, redacts `secret*`, drops `health*` by rule `drop:health`, fails `bad*`. */
const filter: StageFilter<Ev> = {
  process(e) {
    if (e.message.startsWith('health')) return drop('drop:health');
    if (e.message.startsWith('bad')) return fail(new RuleError('FILTER_REDACTION_FAILED', 'redaction threw'));
    if (e.message.startsWith('secret')) return keep({ ...e, redaction: { rules: ['card'] } });
    return keep(e);
  },
};

describe('runStage', () => {
  it('ends every event kept, dropped by a named rule or as a filter letter, and counts each once', () => {
    const counters = emptyStageCounters();
    const r = runStage(
      [input(0, [ev('a', 'keep 1'), ev('b', 'health'), ev('c', 'bad')]), input(1, [ev('d', 'secret')])],
      filter,
      counters,
    );
    expect(r.kept.map((k) => [k.event.event.id, k.source])).toEqual([
      ['a', 0],
      ['d', 1],
    ]);
    expect(r.letters).toEqual([
      {
        source: 0,
        letter: {
          id: 'filter:c',
          stage: 'filter',
          error: { code: 'FILTER_REDACTION_FAILED', message: 'redaction threw' },
          original: ev('c', 'bad'),
        },
      },
    ]);
    expect(counters).toEqual({
      events: 4,
      kept: 2,
      redacted: 1,
      dropped: 1,
      droppedByRule: { 'drop:health': 1 },
      failed: 1,
      failedByStage: { transform: 0, filter: 1 },
    });
    expect(counters.kept + counters.dropped + counters.failedByStage.filter).toBe(counters.events);
  });

  it('dead-letters an input whose normaliser throws (stage transform) and goes on with the next', () => {
    const counters = emptyStageCounters();
    const throwing: StageInput<Ev, number> = {
      source: 0,
      normalize: () => {
        throw new Error('boom');
      },
      id: 'rec-0',
      original: { data: 'raw-0' },
    };
    const r = runStage([throwing, input(1, [ev('b')])], filter, counters);
    expect(r.kept.map((k) => k.event.event.id)).toEqual(['b']);
    expect(r.letters[0]).toMatchObject({
      source: 0,
      letter: {
        id: 'transform:rec-0',
        stage: 'transform',
        error: { code: 'TRANSFORM_FAILED' },
        original: { data: 'raw-0' },
      },
    });
    expect(counters.failedByStage).toEqual({ transform: 1, filter: 0 });
  });

  it('keeps every event when there are no filters', () => {
    const counters = emptyStageCounters();
    const r = runStage([input(0, [ev('a', 'bad'), ev('b', 'health')])], undefined, counters);
    expect(r.kept).toHaveLength(2);
    expect(counters).toMatchObject({ events: 2, kept: 2, dropped: 0, failed: 0 });
  });

  it('adds to the counters it is handed (one set of counters across batches)', () => {
    const counters = emptyStageCounters();
    runStage([input(0, [ev('a', 'health')])], filter, counters);
    runStage([input(1, [ev('b', 'health')])], filter, counters);
    expect(counters.droppedByRule).toEqual({ 'drop:health': 2 });
  });
});

describe('letterId', () => {
  it('is <stage>:<id>', () => {
    expect(letterId('ingest', 'shardId-0:49')).toBe('ingest:shardId-0:49');
    expect(letterId('filter', 'e1')).toBe('filter:e1');
  });
});
