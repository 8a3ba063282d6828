import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSluice } from '../factories/cli.js';
import { uniqueSegment } from '../factories/log-events.js';
import { dropPrefix, searchAll } from '../factories/opensearch.js';
import { waitFor } from '../factories/wait.js';
import { type ComponentLine, createWorld, startPipeline, type World } from './kit.js';

const sfx = uniqueSegment('b');
const prefix = `sluice-logs-bf${sfx}`;
const group = `/aws/lambda/backfill-${sfx}`;

describe('sluice backfill into a running pipeline', () => {
  const opensearchUrl = inject('opensearchUrl');
  let world: World;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  beforeAll(async () => {
    world = await createWorld(inject('awsEndpoint'), [group]);
    pipeline = await startPipeline({ world, opensearchUrl, indexPrefix: prefix });
  });
  afterAll(async () => {
    await pipeline?.stop();
    await world?.dispose();
    await dropPrefix(opensearchUrl, prefix);
  });

  it('indexes history that the live subscription already delivered exactly once', async () => {
    const start = Date.now() - 5 * 60_000;
    const lines: ComponentLine[] = Array.from({ length: 30 }, (_, i) => ({
      group,
      stream: `2026/11/26/[$LATEST]${i % 2 ? 'aaaa' : 'bbbb'}`,
      timestamp: start + i,
      message: JSON.stringify({
        level: 30,
        time: start + i,
        msg: `backfill line ${i}`,
        transactionId: `tx-${i % 5}`,
      }),
    }));
    await world.ship(lines);
    // The live subscription delivers them once …
    const indexed = async (n: number) =>
      waitFor(
        `${n} events indexed`,
        async () =>
          pipeline.total('sink', 'indexed') + pipeline.total('sink', 'duplicates') >= n ? true : undefined,
        {
          timeoutMs: 60_000,
          intervalMs: 1000,
        },
      );
    await indexed(30);

    // … and the backfill of the same range delivers them again through the raw stream.
    const r = await runSluice([
      'backfill',
      ...['--raw-stream', world.raw.name, '--include', group, '--since', '10m'],
      ...['--endpoint', inject('awsEndpoint')],
    ]);
    expect(r.stderr).toContain(`${group}: 30 events in 2 payloads`);
    expect(r.stdout).toContain(`backfilled 30 events from 1 log groups into ${world.raw.name}`);
    expect(r.code).toBe(0);
    await indexed(60);

    const docs = await searchAll(opensearchUrl, prefix);
    expect(docs).toHaveLength(30);
    expect(new Set(docs.map((d) => d.source['message'])).size).toBe(30);
    expect(pipeline.total('sink', 'duplicates')).toBe(30);
  });
});
