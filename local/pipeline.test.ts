import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileRules } from '../filters/pipeline.js';
import { countDeliveries, type DeliveryResult, type EventSink } from '../sinks/contract.js';
import type { DeadLetter, DeadLetterStore } from '../sinks/dead-letters/types.js';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { openSqliteStoreThread } from '../sinks/sqlite/store-thread.js';
import { compileNormalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { validateStartConfig } from './config.js';
import { createPipeline, type PipelineInput } from './pipeline.js';
import { BoundedQueue } from './queue.js';
import { startLocal } from './start.js';

const memoryLetters = (): DeadLetterStore & { letters: DeadLetter[] } => {
  const letters: DeadLetter[] = [];
  return {
    letters,
    async put(l) {
      letters.push(...l);
    },
    async *read() {},
  };
};
/** A sink report for `results`. */
const delivered = (results: DeliveryResult[]) => ({ results, counts: countDeliveries(results) });
/** A sink that records each batch it is handed, then holds every write until `release()`. */
const gatedSink = () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const batches: LogEvent[][] = [];
  const sink: EventSink = {
    async write(events) {
      batches.push([...events]);
      await gate;
      return delivered(events.map(() => 'indexed'));
    },
    async close() {},
  };
  return { sink, batches, release: () => release() };
};
const lines = (source: string, n: number, from = 0): PipelineInput => ({
  kind: 'lines',
  source,
  lines: Array.from({ length: n }, (_, i) => ({ text: `line ${from + i}`, id: `${source}-${from + i}` })),
});

describe('BoundedQueue', () => {
  it('makes a pusher wait while full and lets it in once a taker made room', async () => {
    const q = new BoundedQueue<string>(3);
    expect(await q.push('a', 2)).toBe(true);
    let admitted = false;
    const waiting = q.push('b', 2).then((ok) => {
      admitted = ok;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(admitted).toBe(false);
    expect(await q.take(10, 10)).toEqual(['a']);
    await waiting;
    expect(admitted).toBe(true);
    expect(q.size).toBe(2);
  });

  it('admits an item heavier than the capacity when empty, and refuses pushes once closed', async () => {
    const q = new BoundedQueue<string>(2);
    expect(await q.push('huge', 50)).toBe(true);
    const blocked = q.push('next', 1);
    q.close();
    expect(await blocked).toBe(false);
    expect(await q.take(100, 10)).toEqual(['huge']);
    expect(await q.take(100, 10)).toEqual([]);
  });
});

describe('createPipeline', () => {
  const base = () => ({ normalizer: compileNormalizer(), filters: compileRules(undefined) });

  it('applies backpressure: submit waits while the sink is slow and the queue is full', async () => {
    const { sink, batches, release } = gatedSink();
    const p = createPipeline({
      ...base(),
      sink,
      deadLetters: memoryLetters(),
      queueCapacity: 10,
      batchSize: 10,
    });
    await p.submit(lines('a', 10)); // taken by the (blocked) consumer
    await new Promise((r) => setTimeout(r, 30));
    await p.submit(lines('b', 10)); // fills the queue
    let third = false;
    const pending = p.submit(lines('c', 10)).then(() => {
      third = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(third).toBe(false);
    release();
    await pending;
    await p.stop();
    expect(batches.flat()).toHaveLength(30);
    expect(p.stats()).toMatchObject({ received: 30, indexed: 30, queued: 0 });
  });

  it.each([1, 2])(
    'hands the sink at most %i batches not yet answered, in the order they were taken',
    async (writesInFlight) => {
      const { sink, batches, release } = gatedSink();
      const calls = () => batches.map((b) => b.map((e) => e.message).join(','));
      const p = createPipeline({
        ...base(),
        sink,
        deadLetters: memoryLetters(),
        batchSize: 2,
        writesInFlight,
      });
      for (let k = 0; k < 4; k++) await p.submit(lines('w', 2, 2 * k));
      await expect.poll(() => batches.length).toBe(writesInFlight);
      // The first write is still unanswered: no further batch reaches the sink.
      await new Promise((r) => setTimeout(r, 50));
      expect(batches).toHaveLength(writesInFlight);
      expect(p.stats().queued).toBe(8);
      release();
      await p.stop();
      expect(calls()).toEqual(['line 0,line 1', 'line 2,line 3', 'line 4,line 5', 'line 6,line 7']);
      expect(p.stats()).toMatchObject({ indexed: 8, queued: 0 });
    },
  );

  it('lets the event loop turn while it normalises and filters a batch, which still reaches the sink whole', async () => {
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    const seen: number[] = [];
    const rules = compileRules(undefined);
    const filters = {
      ...rules,
      process(event: LogEvent) {
        seen.push(turns);
        return rules.process(event);
      },
    };
    const sizes: number[] = [];
    const sink: EventSink = {
      async write(events) {
        sizes.push(events.length);
        return delivered(events.map(() => 'indexed'));
      },
      async close() {},
    };
    const p = createPipeline({ ...base(), filters, sink, deadLetters: memoryLetters(), batchSize: 1000 });
    // Queued before the consumer's first take: one batch of ten inputs of 100 events.
    const submitted = Array.from({ length: 10 }, (_, k) => p.submit(lines('s', 100, k * 100)));
    await Promise.all(submitted);
    setImmediate(tick);
    await p.stop();
    ticking = false;
    expect(sizes).toEqual([1000]);
    // Ten slices of 100 events, the loop turning between two (one value of `turns` without slices).
    expect(new Set(seen).size).toBeGreaterThanOrEqual(9);
  });

  it('retries events the sink could not deliver, and dead-letters them if it still cannot at stop', async () => {
    let calls = 0;
    const flaky: EventSink = {
      async write(events) {
        calls += 1;
        return delivered(events.map((_, i) => (calls === 1 && i === 0 ? 'not_delivered' : 'indexed')));
      },
      async close() {},
    };
    const p1 = createPipeline({ ...base(), sink: flaky, deadLetters: memoryLetters(), retryDelayMs: 10 });
    await p1.submit(lines('r', 3));
    await p1.stop();
    expect(p1.stats()).toMatchObject({ indexed: 3, deadLettered: 0 });

    const down: EventSink = {
      async write(events) {
        return delivered(events.map(() => 'not_delivered'));
      },
      async close() {},
    };
    const letters = memoryLetters();
    const p2 = createPipeline({ ...base(), sink: down, deadLetters: letters, retryDelayMs: 10 });
    await p2.submit(lines('d', 2));
    await p2.stop();
    expect(p2.stats()).toMatchObject({ indexed: 0, deadLettered: 2, deadLetteredByStage: { sink: 2 } });
    expect(letters.letters.map((l) => l.error.code)).toEqual([
      'SINK_NOT_DELIVERED_AT_STOP',
      'SINK_NOT_DELIVERED_AT_STOP',
    ]);
  });

  it('keeps a batch when the store throws, and writes it once the store is back', async () => {
    let fail = true;
    const store = openSqliteStore({ path: ':memory:' });
    const sink: EventSink = {
      async write(events) {
        if (fail) {
          fail = false;
          throw new Error('disk full');
        }
        return store.write(events);
      },
      close: () => store.close(),
    };
    const errors: unknown[] = [];
    const p = createPipeline({
      ...base(),
      sink,
      deadLetters: memoryLetters(),
      retryDelayMs: 10,
      onSinkError: (e) => errors.push(e),
    });
    await p.submit(lines('s', 5));
    await new Promise((r) => setTimeout(r, 300));
    expect(store.count()).toBe(5);
    await p.stop();
    expect(errors).toHaveLength(1);
    expect(p.stats()).toMatchObject({ indexed: 5, deadLettered: 0 });
  });
});

describe('createPipeline over the writer-thread store', () => {
  it('keeps the batches of a writer thread that ended and writes them through a new one: every event stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-writer-'));
    try {
      const path = join(dir, 'events.db');
      const store = await openSqliteStoreThread({ path });
      const errors: unknown[] = [];
      const p = createPipeline({
        ...{ normalizer: compileNormalizer(), filters: compileRules(undefined) },
        sink: store,
        deadLetters: memoryLetters(),
        batchSize: 500,
        retryDelayMs: 10,
        writesInFlight: 2,
        onSinkError: (e) => errors.push(e),
      });
      for (let k = 0; k < 10; k++) await p.submit(lines('t', 500, k * 500));
      // End the writer thread until it held a batch when it ended (the batches it holds are lost to it).
      for (let i = 0; i < 200 && errors.length === 0; i++) {
        await store.terminate();
        await new Promise((r) => setTimeout(r, 10));
      }
      for (let k = 10; k < 20; k++) await p.submit(lines('t', 500, k * 500));
      await p.stop();
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatchObject({ code: 'SQLITE_STORE_WRITER_LOST' });
      const s = p.stats();
      // A batch that committed before its answer was lost comes back `duplicate` on the retry.
      expect(s.indexed + s.duplicate).toBe(10_000);
      expect(s).toMatchObject({ received: 10_000, deadLettered: 0, queued: 0 });
      const again = openSqliteStore({ path });
      expect(again.count()).toBe(10_000);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sluice start stops without losing accepted events', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-stop-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('drains the queue and flushes the store: every accepted event is indexed, dropped or dead-lettered', async () => {
    const cfg = validateStartConfig(
      {
        data_dir: dir,
        http: { port: 0 },
        sources: { demo: { enabled: true, rate_per_second: 20, backfill_minutes: 1 } },
        queue: { capacity_events: 500, batch_size: 100 },
      },
      'test',
    );
    const app = await startLocal(cfg, {
      cwd: dir,
      env: {},
      stdin: new PassThrough(),
      ui: { html: '', js: '', css: '' },
      log: () => {},
    });
    // Many HTTP clients at once, while the demo backfill also fills the queue.
    let acceptedOverHttp = 0;
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let b = 0; b < 30; b++) {
        const body = Array.from({ length: 50 }, (_, i) =>
          JSON.stringify({ level: 30, time: Date.now(), msg: `client ${c} batch ${b} line ${i}` }),
        ).join('\n');
        const res = await fetch(`${app.url}/ingest/ndjson`, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(30_000),
        }).catch(() => undefined);
        if (res?.status === 202) acceptedOverHttp += ((await res.json()) as { accepted: number }).accepted;
        else return;
      }
    });
    for (let i = 0; i < 200 && acceptedOverHttp === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await app.stop();
    await Promise.all(clients);
    const s = app.pipeline.stats();
    expect(acceptedOverHttp).toBeGreaterThan(0);
    expect(s.queued).toBe(0);
    expect(s.indexed + s.duplicate + s.dropped + s.deadLettered).toBe(s.received);
    // The store holds exactly what was counted as indexed, after a reopen (flushed to disk).
    const store = openSqliteStore({ path: join(dir, 'events.db') });
    expect(store.count()).toBe(s.indexed);
    const http = store.db
      .prepare("SELECT count(*) AS n FROM events WHERE json_extract(doc, '$.message') LIKE 'client %'")
      .get() as {
      n: number;
    };
    // Every acknowledged event is stored (an answer cut off by the shutdown may hide a few more).
    expect(http.n).toBeGreaterThanOrEqual(acceptedOverHttp);
    await store.close();
  }, 60_000);
});
