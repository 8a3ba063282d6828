import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startInProcess } from '../test/e2e/start-local.js';
import { uniqueSegment } from '../test/factories/log-events.js';
import { dropPrefix } from '../test/factories/opensearch.js';
import type { LogEvent } from '../transform/schema.js';
import { openSearchParts } from './opensearch.js';
import type { RunningStart } from './start.js';

// `sluice start --opensearch URL`: the same sources, rules, API and UI, stored in the real node.
describe('sluice start on OpenSearch', () => {
  const node = inject('opensearchUrl');
  const prefix = `sluice-logs-${uniqueSegment('start')}`;
  let dir: string;
  let app: RunningStart;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-start-os-'));
    app = await startInProcess(
      dir,
      {
        sources: { demo: { enabled: true, rate_per_second: 5, backfill_minutes: 1 } },
        sink: { kind: 'opensearch', url: node, index_prefix: prefix },
      },
      { ui: { html: '<!doctype html>', js: '', css: '' }, openSearch: openSearchParts },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await dropPrefix(node, prefix);
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes demo traffic and HTTP events, finds a transaction across services, stops without loss', async () => {
    const res = await fetch(`${app.url}/ingest/ndjson`, {
      method: 'POST',
      body: `${JSON.stringify({ level: 50, time: Date.now(), name: 'billing', msg: 'card 4111 1111 1111 1111 failed', transaction_id: 'tx-os-1' })}\n`,
    });
    expect(res.status).toBe(202);
    let found: LogEvent[] = [];
    for (let i = 0; i < 60 && found.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      found = ((await (await fetch(`${app.url}/api/trace/tx-os-1`)).json()) as { events: LogEvent[] }).events;
    }
    expect(found).toHaveLength(1);
    expect(found[0]?.message).not.toContain('4111');

    const errors = (await (
      await fetch(`${app.url}/api/search?q=${encodeURIComponent('level:error -service:billing')}&from=0`)
    ).json()) as {
      total: number;
      events: LogEvent[];
      facets: { service: { value: string }[] };
    };
    expect(errors.total).toBeGreaterThan(0);
    const tx = errors.events.find((e) => e.transaction)?.transaction?.id;
    // Each service has its own data stream; poll until every stream has refreshed.
    let services = 0;
    for (let i = 0; i < 40 && services < 3; i++) {
      const trace = (await (await fetch(`${app.url}/api/trace/${tx}`)).json()) as {
        summary: { services: unknown[] };
      };
      services = trace.summary.services.length;
      if (services < 3) await new Promise((r) => setTimeout(r, 500));
    }
    expect(services).toBeGreaterThanOrEqual(3);

    await app.stop();
    const s = app.pipeline.stats();
    expect(s.queued).toBe(0);
    expect(s.indexed + s.duplicate + s.dropped + s.deadLettered).toBe(s.received);
  });
});
