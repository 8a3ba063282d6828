import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../core/random.js';
import { decodeCwlData } from '../ingest/decode.js';
import type { Pipeline } from '../local/pipeline.js';
import { createIdMaker, encodeEnvelope, toEnvelopes } from './envelopes.js';
import { checkout, type DemoLine, healthCheck } from './scenario.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Checkouts per second (default 2). */
  readonly ratePerSecond?: number;
  /** Minutes of history to generate at start, so the charts are not empty (default 10). */
  readonly backfillMinutes?: number;
  /**
   * Time (epoch ms) of the newest demo event already stored, if any: the backfill starts after it,
   * so restarting on the same data folder does not write the same minutes twice.
   */
  readonly storedUntil?: number;
  /** Seed of the generator (default: time-based). */
  readonly seed?: number;
  readonly signal: AbortSignal;
}

/**
 * The built-in demo components: generates checkouts across five services, wraps their lines in
 * gzip+base64 CloudWatch Logs payloads and feeds them through the real decode path
 * (`decodeCwlData`) into the pipeline — first a backfill of recent history, then live traffic
 * until `signal` aborts. Resolves when it has stopped.
 */
export async function runDemo(pipeline: Pipeline, opts: DemoOptions): Promise<void> {
  const seed = opts.seed ?? Date.now() % 2_147_483_647;
  const rng = seededRandom(seed);
  const nextId = createIdMaker(seed);
  const rate = opts.ratePerSecond ?? 2;
  const feed = async (lines: DemoLine[]): Promise<boolean> => {
    for (const env of toEnvelopes(lines, nextId)) {
      if (opts.signal.aborted) return false;
      const data = encodeEnvelope(env);
      const decoded = decodeCwlData(data);
      if (decoded.kind === 'data') {
        if (!(await pipeline.submit({ kind: 'envelope', envelope: decoded.envelope }))) return false;
      } else if (decoded.kind === 'error') await pipeline.rejectRecord(data, decoded.error);
    }
    return true;
  };
  const generate = (from: number, to: number): DemoLine[] => {
    const lines: DemoLine[] = [];
    const step = 1000 / rate;
    for (let t = from; t < to; t += step * (0.5 + rng())) {
      lines.push(...checkout(rng, Math.floor(t)).lines);
      if (rng() < 0.15) lines.push(...healthCheck(rng, Math.floor(t)).lines);
    }
    return lines;
  };
  const now = Date.now();
  const backfill = Math.min((opts.backfillMinutes ?? 10) * 60_000, now - (opts.storedUntil ?? 0));
  if (backfill > 0) {
    // History in 30-second slices, newest first (the UI shows recent traffic at once); the
    // queue's backpressure paces it and the event loop stays free for the UI between slices.
    for (let to = now - 2000; to > now - backfill; to -= 30_000) {
      if (opts.signal.aborted) return;
      if (!(await feed(generate(Math.max(to - 30_000, now - backfill), to)))) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  let last = now - 2000;
  while (!opts.signal.aborted) {
    await sleep(500, undefined, { signal: opts.signal }).catch(() => undefined);
    if (opts.signal.aborted) return;
    const t = Date.now();
    if (!(await feed(generate(last, t)))) return;
    last = t;
  }
}
