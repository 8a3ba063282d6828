import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../transform/schema.js';
import { mergeByTime } from './live-merge.js';

const T0 = Date.UTC(2026, 11, 5, 14);
const ev = (id: string, offsetMs: number): LogEvent =>
  ({
    '@timestamp': new Date(T0 + offsetMs).toISOString(),
    event: { id },
    log: { level: 'info' },
    service: { name: 's' },
    message: id,
  }) as unknown as LogEvent;
const ids = (l: readonly LogEvent[]): string[] => l.map((e) => e.event.id);

describe('mergeByTime', () => {
  it('puts an event that arrives late where its time belongs, not on top', () => {
    const screen = [ev('c', 3000), ev('a', 1000)];
    expect(ids(mergeByTime(screen, [ev('d', 4000), ev('b', 2000)]))).toEqual(['d', 'c', 'b', 'a']);
  });

  it('drops events already on screen and keeps at most max, dropping the oldest', () => {
    const screen = [ev('b', 2000), ev('a', 1000)];
    expect(ids(mergeByTime(screen, [ev('b', 2000), ev('c', 3000)], 2))).toEqual(['c', 'b']);
  });

  it('is always newest first with no duplicates, whatever the arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 20 }), { maxLength: 10 }),
        (batches) => {
          let list: LogEvent[] = [];
          let n = 0;
          for (const b of batches)
            list = mergeByTime(
              list,
              b.map((t) => ev(`e${n++}`, t)),
              50,
            );
          const times = list.map((e) => Date.parse(e['@timestamp']));
          expect(times).toEqual([...times].sort((x, y) => y - x));
          expect(new Set(ids(list)).size).toBe(list.length);
          expect(list.length).toBe(Math.min(50, n));
        },
      ),
    );
  });

  it('does not mutate the list on screen', () => {
    const screen = Object.freeze([ev('a', 1000)]);
    expect(ids(mergeByTime(screen, [ev('b', 2000)]))).toEqual(['b', 'a']);
    expect(ids(screen)).toEqual(['a']);
  });
});
