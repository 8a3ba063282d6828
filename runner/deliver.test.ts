import { describe, expect, it } from 'vitest';
import { type DeliverDeps, deliverBatch } from './deliver.js';
import type { InvocationVerdict, RunnerRecord } from './event.js';
import { parseMappingOptions } from './options.js';

const records = (n: number, arrivedAt = 1_000_000): RunnerRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    sequenceNumber: String(100 + i),
    partitionKey: 'k',
    data: new Uint8Array([i]),
    arrivedAt,
  }));

/** A handler stand-in: a function of the batch's sequence numbers (pure decision table). */
function harness(decide: (seqs: string[], call: number) => InvocationVerdict, now = 1_000_000) {
  const calls: string[][] = [];
  const checkpoints: string[] = [];
  const destination: { seqs: string[]; reason: string; retries: number }[] = [];
  const deps: DeliverDeps = {
    async invoke(recs) {
      const seqs = recs.map((r) => r.sequenceNumber);
      calls.push(seqs);
      return decide(seqs, calls.length);
    },
    async checkpoint(seq) {
      checkpoints.push(seq);
    },
    async sendToDestination(recs, info) {
      destination.push({
        seqs: recs.map((r) => r.sequenceNumber),
        reason: info.reason,
        retries: info.retries,
      });
    },
    sleep: async () => undefined,
    now: () => now,
    random: () => 0.5,
  };
  return { deps, calls, checkpoints, destination };
}

describe('deliverBatch', () => {
  it('checkpoints the last record of a successful batch', async () => {
    const h = harness(() => ({ kind: 'success' }));
    const stats = await deliverBatch(records(3), parseMappingOptions({}), h.deps);
    expect(stats).toMatchObject({ completed: true, invocations: 1, retries: 0 });
    expect(h.checkpoints).toEqual(['102']);
  });

  it('checkpoints before the lowest failed record and retries from it', async () => {
    const h = harness((_seqs, call) => (call === 1 ? { kind: 'partial', index: 2 } : { kind: 'success' }));
    await deliverBatch(records(5), parseMappingOptions({}), h.deps);
    expect(h.calls).toEqual([
      ['100', '101', '102', '103', '104'],
      ['102', '103', '104'],
    ]);
    expect(h.checkpoints).toEqual(['101', '104']);
  });

  it('bisects a failing batch until the poison record is alone, then sends it to the destination', async () => {
    const h = harness((seqs) =>
      seqs.includes('105') ? { kind: 'error', reason: 'boom' } : { kind: 'success' },
    );
    const stats = await deliverBatch(
      records(8),
      parseMappingOptions({ bisect_batch_on_error: true, maximum_retry_attempts: 3 }),
      h.deps,
    );
    expect(stats.completed).toBe(true);
    expect(h.destination).toEqual([{ seqs: ['105'], reason: 'retries_exhausted', retries: 3 }]);
    // every other record was delivered by a successful invocation
    const delivered = h.calls.filter((c) => !c.includes('105')).flat();
    expect(delivered.sort()).toEqual(['100', '101', '102', '103', '104', '106', '107']);
    // checkpoints only move forward
    expect(h.checkpoints.map(Number)).toEqual([...h.checkpoints.map(Number)].sort((a, b) => a - b));
    expect(h.checkpoints.at(-1)).toBe('107');
  });

  it('retries without bisecting when bisect is off, and gives up after maximum_retry_attempts', async () => {
    const h = harness(() => ({ kind: 'error', reason: 'boom' }));
    await deliverBatch(records(4), parseMappingOptions({ maximum_retry_attempts: 2 }), h.deps);
    expect(h.calls).toHaveLength(3);
    expect(h.calls.every((c) => c.length === 4)).toBe(true);
    expect(h.destination).toEqual([
      { seqs: ['100', '101', '102', '103'], reason: 'retries_exhausted', retries: 2 },
    ]);
    expect(h.checkpoints).toEqual(['103']);
  });

  it('counts partial failures as retries too', async () => {
    const h = harness(() => ({ kind: 'partial', index: 1 }));
    await deliverBatch(records(3), parseMappingOptions({ maximum_retry_attempts: 1 }), h.deps);
    expect(h.calls).toEqual([
      ['100', '101', '102'],
      ['101', '102'],
    ]);
    expect(h.destination).toEqual([{ seqs: ['102'], reason: 'retries_exhausted', retries: 1 }]);
    expect(h.checkpoints).toEqual(['100', '101', '102']);
  });

  it('sends records older than maximum_record_age_s to the destination without invoking', async () => {
    const h = harness(() => ({ kind: 'success' }), 1_000_000 + 61_000);
    await deliverBatch(records(2), parseMappingOptions({ maximum_record_age_s: 60 }), h.deps);
    expect(h.calls).toEqual([]);
    expect(h.destination).toEqual([{ seqs: ['100', '101'], reason: 'record_expired', retries: 0 }]);
    expect(h.checkpoints).toEqual(['101']);
  });

  it('stops without checkpointing when aborted', async () => {
    const controller = new AbortController();
    const h = harness(() => {
      controller.abort();
      return { kind: 'error', reason: 'boom' };
    });
    const stats = await deliverBatch(records(2), parseMappingOptions({}), {
      ...h.deps,
      signal: controller.signal,
    });
    expect(stats.completed).toBe(false);
    expect(h.checkpoints).toEqual([]);
  });

  it('with the defaults, retries an undelivered batch until it is delivered, telling onRetry each time and checkpointing only then', async () => {
    const h = harness((_seqs, call) => (call <= 6 ? { kind: 'partial', index: 0 } : { kind: 'success' }));
    const retries: { records: number; retries: number; reason: string }[] = [];
    const stats = await deliverBatch(records(3), parseMappingOptions({}), {
      ...h.deps,
      checkpoint: async (seq) => {
        // nothing may be checkpointed while the batch is undelivered
        expect(h.calls).toHaveLength(7);
        h.checkpoints.push(seq);
      },
      onRetry: ({ records: n, retries: r, reason }) => retries.push({ records: n, retries: r, reason }),
    });
    expect(stats).toMatchObject({ completed: true, invocations: 7, retries: 6, sentToDestination: 0 });
    expect(retries.map((r) => r.retries)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(retries[0]).toEqual({ records: 3, retries: 1, reason: 'batchItemFailures' });
    expect(h.destination).toEqual([]);
    expect(h.checkpoints).toEqual(['102']);
  });
});
