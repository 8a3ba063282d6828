import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueSegment } from '../factories/log-events.js';
import { searchAll } from '../factories/opensearch.js';
import { waitFor } from '../factories/wait.js';
import { type OpenSearchNode, startOpenSearch } from '../services/opensearch.js';
import { freePort } from '../services/process.js';
import { type ComponentLine, component, createWorld, type World } from './kit.js';
import { spawnRun } from './start-process.js';
import { forwardTcp, type TcpForward } from './tcp-forward.js';

const sfx = uniqueSegment('d');
const prefix = `sluice-logs-down${sfx}`;
const group = `/aws/lambda/down-${sfx}`;

/** JSON lines of the runner's stderr (its own log lines and the EMF metric lines). */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('sluice run started while OpenSearch is down', () => {
  let world: World;
  let node: OpenSearchNode | undefined;
  let child: ChildProcess | undefined;
  let forward: TcpForward | undefined;
  beforeAll(async () => {
    world = await createWorld(inject('awsEndpoint'), [group]);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await world?.dispose();
    await forward?.close();
    await node?.stop();
  });

  it('runs the transform stage, waits for the node with backoff while saying so, then indexes every event once the node answers', {
    timeout: 360_000,
  }, async () => {
    // The runner's node URL: nothing listens there until the node has started behind it.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const dir = await mkdtemp(join(tmpdir(), 'sluice-down-'));
    const runner = spawnRun(world, { opensearch: url, indexPrefix: prefix, dir, batchSize: 20 });
    child = runner.child;
    const { exited, stderr } = runner;

    let t = Date.now() - 5 * 60_000;
    const lines: ComponentLine[] = [];
    const svc = component('down', group, 's1', lines, () => (t += 5));
    for (let i = 0; i < 60; i++) svc.logger.info({ transactionId: `tx-${i % 6}`, i }, `line ${i}`);
    await world.ship(lines, 10);

    // The transform stage runs although the sink's node is down: all 60 events reach the events stream.
    const forwarded = () =>
      jsonLines(stderr())
        .filter((l) => l['stage'] === 'transform' && typeof l['forwarded'] === 'number')
        .reduce((n, l) => n + (l['forwarded'] as number), 0);
    await waitFor('the transform stage forwarding all 60 events', () => forwarded() === 60, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    // The sink stage reports that it waits, with growing waits, and the process stays up.
    await waitFor(
      'three "OpenSearch not reachable" lines',
      () =>
        jsonLines(stderr()).filter((l) => l['msg'] === 'OpenSearch not reachable; waiting and retrying')
          .length >= 3,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const waiting = jsonLines(stderr()).filter(
      (l) => l['msg'] === 'OpenSearch not reachable; waiting and retrying',
    );
    expect(waiting[0]).toMatchObject({ level: 'warn', stage: 'sink', attempt: 1 });
    expect(String(waiting[0]?.['message'])).toContain('ECONNREFUSED');
    expect(waiting.map((l) => l['attempt'])).toEqual(waiting.map((_, i) => i + 1));
    expect(child.exitCode).toBeNull();
    // Nothing of the events stream is checkpointed while nothing was delivered.
    const before = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8')) as {
      streams: Record<string, unknown>;
    };
    expect(before.streams[world.events.name]).toBeUndefined();

    node = await startOpenSearch({ heapMb: 384, startTimeoutMs: 300_000 });
    forward = await forwardTcp(port, Number(new URL(node.url).port));
    const count = async () => (await searchAll(url, prefix).catch(() => [])).length;
    await waitFor('all 60 documents indexed', async () => ((await count()) >= 60 ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    expect(jsonLines(stderr()).some((l) => l['msg'] === 'OpenSearch answered; starting')).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);

    const messages = (await searchAll(url, prefix)).map((d) => d.source['message']);
    expect(messages).toHaveLength(60);
    expect(new Set(messages).size).toBe(60);
  });
});
