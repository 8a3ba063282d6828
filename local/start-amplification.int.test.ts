import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explorerUrl, spawnStart } from '../test/e2e/start-process.js';

/**
 * The inputs of issue #13 against the real `sluice start` process (spawned, default budgets),
 * with its memory read from /proc: decompression amplification inside an NDJSON body, eight
 * concurrent legal 31 MB bodies, an event with 1M fields — while good requests keep being sent.
 */
const GiB = 1024 * 1024 * 1024;

let dir: string;
let child: ChildProcess;
let url: string;
/** The end of the server's stderr (shown when a test fails). */
let childErr = '';

/** Peak and current resident memory of a process, in bytes (VmHWM / VmRSS). */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

/** An awslogs event whose data inflates to ~14 MB of tiny log events (just under the per-payload bound). */
function amplifyingLine(n: number): string {
  const now = Date.now();
  const events = Array.from({ length: 250_000 }, (_, i) => ({
    id: `${n}-${i}`,
    timestamp: now,
    message: `x${i % 10}`,
  }));
  const env = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/bomb',
    logStream: 's',
    subscriptionFilters: ['f'],
    logEvents: events,
  };
  return JSON.stringify({
    awslogs: { data: gzipSync(JSON.stringify(env), { level: 9 }).toString('base64') },
  });
}

/** A legal NDJSON body of ~31 MB: 400-byte lines (well under the events-per-request budget). */
function bigBody(tag: string): Buffer {
  const line = `${tag} ${'p'.repeat(390)}\n`;
  return Buffer.from(line.repeat(Math.floor((31 * 1024 * 1024) / line.length)));
}

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { 'content-type': 'application/x-ndjson', ...headers },
  });

/**
 * Good traffic alongside an attack: a small ingest (retried after Retry-After on 429) and a stats
 * read every 250 ms until `stop`; records each answer's status and latency and the lines answered 202.
 */
function goodTraffic(stop: { done: boolean }) {
  const latencies: number[] = [];
  const accepted: string[] = [];
  const statuses: number[] = [];
  const run = (async () => {
    for (let i = 0; !stop.done && i < 400; i++) {
      const line = `good-${Date.now()}-${i}`;
      const t = performance.now();
      let wait = 250;
      try {
        const res = await post('/ingest/ndjson', `${line}\n`);
        statuses.push(res.status);
        if (res.status === 202) accepted.push(line);
        if (res.status === 429) wait = 1000;
        await res.arrayBuffer();
        const stats = await fetch(`${url}/api/stats`);
        statuses.push(stats.status);
        await stats.arrayBuffer();
      } catch {
        statuses.push(0); // no answer at all
      }
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return { run, latencies, accepted, statuses };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-amplify-'));
  child = spawnStart(['--no-demo', '--port', '0', '--data-dir', dir, '--quiet'], dir);
  child.stderr?.on('data', (c: Buffer) => {
    childErr = (childErr + c.toString()).slice(-4000);
  });
  url = await explorerUrl(child);
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sluice start under the amplification and concurrency inputs (RSS from /proc)', () => {
  it('refuses ten nested 15 MB payloads (600 KB on the wire), keeps memory bounded and good requests answered', async () => {
    const line = amplifyingLine(0);
    const body = `${Array.from({ length: 10 }, () => line).join('\n')}\n`;
    const stop = { done: false };
    const good = goodTraffic(stop);
    let answers: Response[];
    try {
      answers = await Promise.all(Array.from({ length: 4 }, () => post('/ingest/ndjson', body)));
    } finally {
      stop.done = true;
      await good.run.catch(() => {});
    }
    expect(child.exitCode, childErr).toBeNull();
    const mem = memory(child.pid!);
    console.log(
      `amplification: body ${body.length} B ×4 → ${answers.map((a) => a.status).join(',')}; peak RSS ${(mem.peak / 2 ** 20).toFixed(0)} MiB; good answers max ${Math.max(...good.latencies).toFixed(0)} ms`,
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((st) => st === 413 || st === 429)).toBe(true);
    expect(statuses).toContain(413);
    expect(mem.peak).toBeLessThan(GiB);
    expect(good.statuses.every((s) => s === 200 || s === 202 || s === 429)).toBe(true);
    expect(good.accepted.length).toBeGreaterThan(0);
  });

  it('takes eight concurrent 31 MB bodies (the excess answered 429, a body past the request timeout 408), one line with 1M fields, and loses nothing answered 2xx', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => bigBody(`big${i}`));
    const wide = `{${Array.from({ length: 1_000_000 }, (_, i) => `"f${i}":${i}`).join(',')}}\n`;
    const stop = { done: false };
    const good = goodTraffic(stop);
    let bigAnswers: Response[];
    let wideAnswer: Response;
    try {
      wideAnswer = await post('/ingest/ndjson', `wide-one ${Date.now()}\n${wide}`);
      const settledAnswers = await Promise.all(
        bodies.map((b) => post('/ingest/ndjson', b).catch((e: Error) => e)),
      );
      const failed = settledAnswers.filter((a): a is Error => a instanceof Error);
      if (failed.length > 0)
        throw new Error(
          `no answer: ${failed.map((e) => String((e as { cause?: unknown }).cause ?? e)).join('; ')}; server: ${childErr}`,
        );
      bigAnswers = settledAnswers as Response[];
    } finally {
      stop.done = true;
      await good.run.catch(() => {});
    }
    expect(child.exitCode, childErr).toBeNull();
    const statuses = bigAnswers.map((a) => a.status);
    const accepted = bigAnswers.filter((a) => a.status === 202).length;
    const mem = memory(child.pid!);
    console.log(
      `concurrency: 8 × ${bodies[0]!.length} B → ${statuses.join(',')}; wide line → ${wideAnswer.status}; peak RSS ${(mem.peak / 2 ** 20).toFixed(0)} MiB; good answers max ${Math.max(...good.latencies).toFixed(0)} ms over ${good.latencies.length}`,
    );
    // 408: a body still being read when http.limits.request_timeout_ms ran out (the server reads
    // it only as fast as the pipeline takes its events); answered, never 2xx, so nothing is owed.
    expect(statuses.every((s) => s === 202 || s === 408 || s === 429)).toBe(true);
    // Two were read (the large-request lane), the rest refused at once. On a loaded machine a read
    // body can still run past the request timeout (408; see docs/start.md): not asserted as 202.
    expect(statuses.filter((st) => st !== 429)).toHaveLength(2);
    expect(mem.peak).toBeLessThan(GiB);
    expect(good.accepted.length).toBeGreaterThan(0);

    // Nothing answered 2xx is lost: every accepted good line, and every line of every accepted
    // big body, is stored once the queue drains.
    const linesPerBody = bodies[0]!.toString().split('\n').length - 1;
    const expectedBig = accepted * linesPerBody;
    for (let i = 0; i < 600; i++) {
      const s = (await (await fetch(`${url}/api/stats`)).json()) as { queued: number; received: number };
      if (s.queued === 0 && i > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const count = async (q: string) =>
      (
        (await (
          await fetch(`${url}/api/search?exact=1&from=0&limit=1&q=${encodeURIComponent(q)}`)
        ).json()) as {
          total: number;
        }
      ).total;
    let big = 0;
    for (let i = 0; i < 8; i++) if (statuses[i] === 202) big += await count(`big${i}`);
    expect(big).toBe(expectedBig);
    for (const g of good.accepted) expect(await count(`"${g}"`), g).toBe(1);
    expect(wideAnswer.status).toBe(202);
    const stats = (await (await fetch(`${url}/api/stats`)).json()) as { truncated: number };
    expect(stats.truncated).toBe(1);
    expect(good.statuses.filter((s) => s === 0)).toEqual([]);
  }, 300_000);
});
