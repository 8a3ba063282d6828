import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSluice } from '../../test/factories/cli.js';
import { uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, sinkIndexer } from '../../test/factories/opensearch.js';
import { searchFixture, T0 } from '../../test/factories/search-events.js';

/** `sluice search` / `sluice trace --node` against the real OpenSearch node, indexed by the production sink. */
const node = inject('opensearchUrl');
const prefix = `sluice-logs-${uniqueSegment('cli')}`;
let dir: string;

const sluice = (argv: string[]) => runSluice([...argv, '--node', node, '--prefix', prefix], { cwd: dir });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-search-cli-it-'));
  const indexer = await sinkIndexer(node, prefix);
  await indexer.add(searchFixture());
  await indexer.close();
});
afterAll(async () => {
  await dropPrefix(node, prefix);
  await rm(dir, { recursive: true, force: true });
});

describe('sluice search and trace on OpenSearch (--node)', () => {
  it('finds events with the query language', async () => {
    const r = await sluice([
      'search',
      'level:error',
      ...['--since', new Date(T0 - 60_000).toISOString(), '--until', new Date(T0 + 3_600_000).toISOString()],
      '--json',
    ]);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { log: { level: string } });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.log.level === 'error')).toBe(true);
  });

  it('shows a transaction across services', async () => {
    const r = await sluice(['trace', 'tx-alpha']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('services: api-gateway (1) → orders (2) → payments (1, 1 error)');
  });
});
