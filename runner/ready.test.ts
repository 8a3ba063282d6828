import { describe, expect, it } from 'vitest';
import { waitUntilReady } from './ready.js';
import type { RunnerLogEntry } from './shard-reader.js';

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9299'), {
    name: 'ConnectionError',
    code: 'ECONNREFUSED',
  });
}

describe('waitUntilReady', () => {
  it('retries a failing probe with growing waits, logs each failure and the recovery, then resolves true', async () => {
    const logs: RunnerLogEntry[] = [];
    const waits: number[] = [];
    let calls = 0;
    const ready = await waitUntilReady(
      async () => {
        calls++;
        if (calls < 4) throw refused();
      },
      {
        what: 'OpenSearch',
        fields: { stage: 'sink' },
        signal: new AbortController().signal,
        log: (e) => logs.push(e),
        baseDelayMs: 1000,
        maxDelayMs: 3000,
        random: () => 0.999,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(ready).toBe(true);
    expect(calls).toBe(4);
    expect(waits).toEqual([999, 1998, 2997]);
    expect(logs.map((l) => [l.level, l.msg, l['attempt'] ?? l['attempts']])).toEqual([
      ['warn', 'OpenSearch not reachable; waiting and retrying', 1],
      ['warn', 'OpenSearch not reachable; waiting and retrying', 2],
      ['warn', 'OpenSearch not reachable; waiting and retrying', 3],
      ['info', 'OpenSearch answered; starting', 4],
    ]);
    expect(logs[0]).toMatchObject({ stage: 'sink', error: 'ConnectionError', code: 'ECONNREFUSED' });
  });

  it('says nothing when the probe succeeds at once', async () => {
    const logs: RunnerLogEntry[] = [];
    const ok = await waitUntilReady(async () => undefined, {
      what: 'OpenSearch',
      signal: new AbortController().signal,
      log: (e) => logs.push(e),
    });
    expect(ok).toBe(true);
    expect(logs).toEqual([]);
  });

  it('resolves false when stopped while waiting, without calling the probe again', async () => {
    const controller = new AbortController();
    let calls = 0;
    const ok = await waitUntilReady(
      async () => {
        calls++;
        throw refused();
      },
      {
        what: 'OpenSearch',
        signal: controller.signal,
        log: () => undefined,
        sleep: async () => {
          controller.abort();
          throw new Error('aborted');
        },
      },
    );
    expect(ok).toBe(false);
    expect(calls).toBe(1);
  });
});
