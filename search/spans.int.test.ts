import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSearchParts } from '../local/opensearch.js';
import type { RunningStart } from '../local/start.js';
import { startInProcess } from '../test/e2e/start-local.js';
import {
  lambdaCheckout,
  postLambdaGroups,
  R_BATCH,
  R_GW,
  R_INV,
  R_OTHER,
  R_PAY,
} from '../test/factories/lambda-spans.js';
import { uniqueSegment } from '../test/factories/log-events.js';
import { dropPrefix } from '../test/factories/opensearch.js';
import type { LogEvent } from '../transform/schema.js';
import type { ServiceMap } from './service-map.js';
import type { Invocation } from './spans.js';
import type { RequestTransactions, SearchResponse, TraceResponse } from './types.js';

async function getJson<T>(app: RunningStart, url: string): Promise<T> {
  const res = await fetch(`${app.url}${url}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const T = Date.now() - 120_000;

const BACKENDS = [
  ['sqlite (the local store, searched by the worker threads)', 'sqlite'],
  ['opensearch (the real node)', 'opensearch'],
] as const;

describe.each(BACKENDS)('Lambda spans and linked platform lines: %s', (_name, kind) => {
  const tx = `tx-${uniqueSegment('spans')}`;
  const other = `tx-${uniqueSegment('other')}`;
  const prefix = `sluice-logs-${uniqueSegment('spans')}`;
  let dir: string;
  let app: RunningStart;
  let trace: TraceResponse;
  const total = Object.values(lambdaCheckout(T, tx, other)).reduce((n, g) => n + g.length, 0);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-spans-'));
    const node = inject('opensearchUrl');
    app = await startInProcess(
      dir,
      {
        sources: { demo: { enabled: false } },
        ...(kind === 'opensearch' ? { sink: { kind: 'opensearch', url: node, index_prefix: prefix } } : {}),
      },
      { ui: { html: '<!doctype html>', js: '', css: '' }, openSearch: openSearchParts },
    );
    await postLambdaGroups(app.url, T, lambdaCheckout(T, tx, other));
    for (let i = 0; i < 120 && app.pipeline.stats().indexed < total; i++)
      await new Promise((r) => setTimeout(r, 250));
    expect(app.pipeline.stats().indexed).toBe(total);
    // Every indexed line searchable before the tests read them (OpenSearch refreshes each second;
    // the trace wait below does not cover the lines of no transaction).
    if (kind === 'opensearch') {
      const refreshed = await fetch(`${node}/${prefix}-*/_refresh`, { method: 'POST' });
      expect(refreshed.ok).toBe(true);
    }
    // Wait until the linked lines are searchable.
    for (let i = 0; i < 40; i++) {
      trace = await getJson<TraceResponse>(app, `/api/trace/${encodeURIComponent(tx)}`);
      if (trace.linked === 12 && trace.events.length === 19) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    if (kind === 'opensearch') await dropPrefix(inject('opensearchUrl'), prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const messages = (events: readonly LogEvent[]): string[] => events.map((e) => e.message);
  const byService = (s: string): Invocation => {
    const inv = trace.invocations.find((i) => i.service === s);
    if (!inv) throw new Error(`no invocation of ${s}`);
    return inv;
  };

  it('includes the platform lines of every request id its events carry, and nothing of others', () => {
    const platform = trace.events.filter((e) => e.lambda !== undefined).map((e) => e.faas?.execution);
    expect(new Set(platform)).toEqual(new Set([R_GW, R_PAY, R_INV, R_BATCH]));
    // START/END/REPORT of the gateway, payments and the batch; start + report of inventory
    expect(platform).toHaveLength(11);
    // the timeout line has no transaction id but the inventory request id: linked too
    expect(messages(trace.events)).toContain('Task timed out after 3.00 seconds');
    expect(trace.linked).toBe(12);
    // the batch invocation's line of the other transaction stays out; the unrelated one too
    expect(messages(trace.events)).not.toContain('record 2');
    expect(trace.events.some((e) => e.faas?.execution === R_OTHER)).toBe(false);
    expect(trace.events).toHaveLength(19);
    const times = trace.events.map((e) => Date.parse(e['@timestamp']));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('builds invocation spans with duration, billed duration, memory and the cold start', () => {
    expect(byService('api-gateway')).toMatchObject({
      requestId: R_GW,
      source: 'platform',
      start: T,
      durationMs: 399.12,
      billedDurationMs: 400,
      memorySizeMb: 256,
      maxMemoryUsedMb: 91,
      coldStart: false,
      status: 'ok',
      depth: 0,
    });
    expect(byService('payments')).toMatchObject({
      requestId: R_PAY,
      source: 'platform',
      start: T + 20,
      durationMs: 15.74,
      billedDurationMs: 16,
      memorySizeMb: 128,
      maxMemoryUsedMb: 56,
      coldStart: true,
      initDurationMs: 130.49,
      version: '12',
      depth: 1,
    });
    expect(byService('inventory')).toMatchObject({ requestId: R_INV, status: 'timeout', durationMs: 3000.5 });
    expect(byService('orders')).toMatchObject({ source: 'log_lines', start: T + 10, end: T + 380 });
    expect(byService('orders').requestId).toBeUndefined();
    expect(byService('batch').eventIds).toHaveLength(4);
    expect(trace.invocations).toHaveLength(5);
  });

  it('links result rows without a transaction id to theirs through the request id', async () => {
    const res = await getJson<SearchResponse & { links: RequestTransactions }>(
      app,
      `/api/search?q=${encodeURIComponent('log.format:lambda_platform')}&from=${T - 1000}&to=${T + 10_000}`,
    );
    expect(res.events.length).toBe(13);
    expect(res.links).toEqual({
      [R_GW]: [tx],
      [R_PAY]: [tx],
      [R_INV]: [tx],
      [R_BATCH]: [tx, other].sort(),
    });
    // A further page and the live tail link their rows the same way (paged or tailed START/REPORT
    // rows must not lose their transaction).
    const q = encodeURIComponent('log.format:lambda_platform');
    const first = await getJson<SearchResponse & { next?: string }>(
      app,
      `/api/search?q=${q}&from=${T - 1000}&to=${T + 10_000}&limit=5`,
    );
    expect(first.next).toBeDefined();
    const page = await getJson<{ events: LogEvent[]; links: RequestTransactions }>(
      app,
      `/api/events?q=${q}&from=${T - 1000}&to=${T + 10_000}&limit=8&after=${encodeURIComponent(first.next as string)}`,
    );
    expect(page.events).toHaveLength(8);
    for (const e of page.events) {
      const request = e.faas?.execution;
      // R_OTHER is an invocation of no transaction: it has no link.
      if (request && request !== R_OTHER && !e.transaction?.id)
        expect(page.links[request], request).toBeDefined();
    }
    type Tail = { events: LogEvent[]; cursor: string; links: RequestTransactions };
    const start = await getJson<Tail>(app, `/api/tail?q=${q}`);
    // A new platform line of the payments invocation arrives while tailing.
    const posted = await fetch(`${app.url}/ingest/cwl`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messageType: 'DATA_MESSAGE',
        owner: '123456789012',
        logGroup: '/aws/lambda/payments',
        logStream: '2026/12/05/[$LATEST]payments',
        subscriptionFilters: ['sluice'],
        logEvents: [{ id: '9'.repeat(56), timestamp: T + 500, message: `END RequestId: ${R_PAY}` }],
      }),
    });
    expect(posted.status).toBe(202);
    let tail: Tail = start;
    const arrived = (t: Tail): boolean => t.events.some((e) => e.message === `END RequestId: ${R_PAY}`);
    for (let i = 0; i < 60 && !arrived(tail); i++) {
      await new Promise((r) => setTimeout(r, 250));
      tail = await getJson<Tail>(app, `/api/tail?q=${q}&cursor=${encodeURIComponent(start.cursor)}`);
    }
    expect(tail.events.map((e) => e.message)).toContain(`END RequestId: ${R_PAY}`);
    expect(tail.links[R_PAY]).toEqual([tx]);
    for (const e of tail.events) {
      const request = e.faas?.execution;
      if (request && request !== R_OTHER && !e.transaction?.id)
        expect(tail.links[request], request).toBeDefined();
    }
  });

  it('derives the service map of the range: who calls whom, calls and error rates', async () => {
    const map = await getJson<ServiceMap>(app, `/api/services?from=${T - 1000}&to=${T + 10_000}`);
    expect(map.transactions).toBe(2);
    expect(map.sampled).toBe(false);
    expect(map.edges.map((e) => `${e.from}>${e.to}:${e.calls}`).sort()).toEqual([
      'api-gateway>orders:1',
      'orders>batch:1',
      'orders>inventory:1',
      'orders>payments:1',
    ]);
    expect(map.nodes.find((n) => n.service === 'batch')).toMatchObject({ transactions: 2, entry: 1 });
    expect(map.nodes.find((n) => n.service === 'api-gateway')).toMatchObject({ entry: 1, transactions: 1 });
    expect(map.nodes).toHaveLength(5);
  });

  it('counts a timeout seen only in a linked `Task timed out` line as an error of the service and its call', async () => {
    // inventory's own lines (with the transaction id) are INFO; the timeout line carries only its request id
    const map = await getJson<ServiceMap>(app, `/api/services?from=${T - 1000}&to=${T + 10_000}`);
    expect(map.nodes.find((n) => n.service === 'inventory')).toMatchObject({
      transactions: 1,
      errorTransactions: 1,
      errorRate: 1,
    });
    expect(map.edges.find((e) => e.to === 'inventory')).toMatchObject({
      from: 'orders',
      calls: 1,
      errors: 1,
      errorRate: 1,
    });
    // the services whose invocations ended well stay without errors
    expect(map.nodes.find((n) => n.service === 'api-gateway')).toMatchObject({ errorTransactions: 0 });
  });
});
