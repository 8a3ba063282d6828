import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueSegment } from '../factories/log-events.js';
import { dropPrefix, searchAll } from '../factories/opensearch.js';
import { waitFor } from '../factories/wait.js';
import { type ComponentLine, component, createWorld, type World } from './kit.js';
import { spawnRun } from './start-process.js';

const sfx = uniqueSegment('c');
const prefix = `sluice-logs-cli${sfx}`;
const group = `/aws/lambda/cli-${sfx}`;

describe('sluice run (the CLI process) killed and restarted', () => {
  const opensearchUrl = inject('opensearchUrl');
  let world: World;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    world = await createWorld(inject('awsEndpoint'), [group]);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await world?.dispose();
    await dropPrefix(opensearchUrl, prefix);
  });

  it('resumes from its checkpoint after SIGKILL without losing or duplicating events, and stops cleanly on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-cli-'));
    const run = () => {
      const started = spawnRun(world, { opensearch: opensearchUrl, indexPrefix: prefix, dir, batchSize: 10 });
      children.push(started.child);
      return started;
    };
    let t = Date.now() - 5 * 60_000;
    const lines: ComponentLine[] = [];
    const svc = component('cli', group, 's1', lines, () => (t += 5));
    for (let i = 0; i < 100; i++) svc.logger.info({ transactionId: `tx-${i % 10}`, i }, `line ${i}`);
    const count = async () => (await searchAll(opensearchUrl, prefix).catch(() => [])).length;

    const first = run();
    await world.ship(lines.slice(0, 60), 5);
    await waitFor('some documents indexed', async () => (await count()) >= 10, {
      timeoutMs: 60_000,
      intervalMs: 300,
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    await world.ship(lines.slice(60), 5);
    const second = run();
    await waitFor('all 100 documents', async () => ((await count()) >= 100 ? true : undefined), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(second.stderr()).toContain('runner stopped');

    const docs = await searchAll(opensearchUrl, prefix);
    const messages = docs.map((d) => d.source['message']);
    expect(messages).toHaveLength(100);
    expect(new Set(messages).size).toBe(100);
    const checkpoint = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
    expect(Object.keys(checkpoint.streams).sort()).toEqual([world.events.name, world.raw.name].sort());
  });
});
