import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import { createTestStream, motoConfig, uniqueName } from '../../test/factories/aws.js';
import { dropPrefix, osJson } from '../../test/factories/opensearch.js';
import { waitFor } from '../../test/factories/wait.js';
import { command } from './run.js';

const node = inject('opensearchUrl');
const endpoint = inject('awsEndpoint');
const kinesis = createKinesisClient(motoConfig(endpoint));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  kinesis.destroy();
});

interface ComponentTemplates {
  component_templates: {
    component_template: { template: { settings: { index: Record<string, unknown> } } };
  }[];
}

/**
 * Runs `sluice run --only sink` in this process until the sink's setup has installed its templates,
 * stops it as SIGINT does, and returns the `index.refresh_interval` of the installed settings template.
 */
async function refreshIntervalInstalledBy(extra: readonly string[]): Promise<unknown> {
  const events = await createTestStream(kinesis, uniqueName('sluice-run-refresh'), 1);
  cleanups.push(() => events.dispose());
  const prefix = `sluice-runrefresh-${uniqueName('').replace(/[^a-z0-9]/g, '')}`;
  cleanups.push(() => dropPrefix(node, prefix));
  const dir = await mkdtemp(join(tmpdir(), 'sluice-run-refresh-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const stop = new AbortController();
  const stderr = new PassThrough();
  let log = '';
  stderr.on('data', (c) => {
    log += String(c);
  });
  const exit = command.run(
    [
      '--only',
      'sink',
      '--events-stream',
      events.name,
      '--opensearch',
      node,
      '--endpoint',
      endpoint,
      '--index-prefix',
      prefix,
      '--checkpoint',
      join(dir, 'checkpoint.json'),
      '--dead-letters',
      join(dir, 'dlq.ndjson'),
      '--on-failure',
      join(dir, 'failures.ndjson'),
      ...extra,
    ],
    { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: {}, cwd: dir, signal: stop.signal },
  );
  try {
    await waitFor('the sink stage to start', () => /"msg":"stage started","stage":"sink"/.test(log), {
      timeoutMs: 30_000,
    });
  } finally {
    stop.abort();
  }
  expect(await exit).toBe(0);
  const got = await osJson<ComponentTemplates>(`${node}/_component_template/${prefix}-settings`);
  return got.component_templates[0]?.component_template.template.settings.index['refresh_interval'];
}

describe('sluice run: the index refresh interval (real OpenSearch node, moto)', () => {
  it('installs refresh_interval 1s by default and the --refresh-interval value when given', async () => {
    expect(await refreshIntervalInstalledBy([])).toBe('1s');
    expect(await refreshIntervalInstalledBy(['--refresh-interval', '5s'])).toBe('5s');
  }, 90_000);
});
