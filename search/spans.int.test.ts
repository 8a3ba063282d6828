import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validateStartConfig } from '../local/config.js';
import { openSearchParts } from '../local/opensearch.js';
import { type RunningStart, startLocal } from '../local/start.js';
import { uniqueSegment } from '../test/factories/log-events.js';
import { dropPrefix } from '../test/factories/opensearch.js';
import { samples as platformSamples } from '../transform/families/lambda-platform.samples.js';
import type { LogEvent } from '../transform/schema.js';
import type { Invocation } from './spans.js';
import type { RequestTransactions, SearchResponse, TraceResponse } from './types.js';

/** The corpus line (AWS Lambda docs) of a cold-start REPORT: 15.74 ms, billed 16, Init Duration 130.49. */
const COLD_REPORT = platformSamples.find((s) => s.name === 'REPORT whose separators are spaces')!.line;
const R_PAY = '8f507cfc-xmpl-4697-b07a-ac58fc914c95'; // the request id of that corpus line
const R_GW = '4ce9340a-b765-490f-ad8a-02ab3415e2bf';
const R_INV = 'd783b35e-a91d-4251-af17-035953428a2c';
const R_BATCH = '1fa87a52-03db-478f-9b7e-92ce62d445cd';
const R_OTHER = '6bc28136-0000-4365-b021-0ce6b2e64ab0';

type Line = readonly [offsetMs: number, message: string];

/**
 * The CloudWatch Logs lines of one checkout, as Lambda and the components write them: the gateway
 * (Node.js text format, text START/END/REPORT), payments (Powertools JSON; the corpus REPORT line of
 * a cold start), inventory (Lambda JSON log format: platform.start, a `Task timed out` line and a
 * platform.report with status timeout), orders (pino lines only, no request id), a batch worker
 * whose one invocation served two transactions, and an unrelated invocation.
 */
function groups(tx: string, other: string): Record<string, readonly Line[]> {
  const iso = (ms: number): string => new Date(T + ms).toISOString();
  const json = (ms: number, type: string, record: object): Line => [
    ms,
    JSON.stringify({ time: iso(ms), type, record }),
  ];
  const text = (ms: number, id: string, level: string, body: object): Line => [
    ms,
    `${iso(ms)}\t${id}\t${level}\t${JSON.stringify(body)}`,
  ];
  return {
    'api-gateway': [
      [0, `START RequestId: ${R_GW} Version: $LATEST`],
      text(3, R_GW, 'INFO', { message: 'request received', transaction_id: tx }),
      text(395, R_GW, 'INFO', { message: 'request completed', transaction_id: tx }),
      [400, `END RequestId: ${R_GW}`],
      [
        400,
        `REPORT RequestId: ${R_GW}\tDuration: 399.12 ms\tBilled Duration: 400 ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\t`,
      ],
    ],
    orders: [
      [
        10,
        JSON.stringify({
          level: 30,
          time: T + 10,
          name: 'orders',
          msg: 'creating order',
          transaction_id: tx,
        }),
      ],
      [
        380,
        JSON.stringify({
          level: 30,
          time: T + 380,
          name: 'orders',
          msg: 'order confirmed',
          transaction_id: tx,
        }),
      ],
    ],
    payments: [
      [20, `START RequestId: ${R_PAY} Version: 12`],
      [
        25,
        JSON.stringify({
          level: 'INFO',
          message: 'charging card',
          timestamp: iso(25),
          service: 'payments',
          cold_start: true,
          function_request_id: R_PAY,
          correlation_id: tx,
        }),
      ],
      [36, `END RequestId: ${R_PAY}`],
      [36, COLD_REPORT],
    ],
    inventory: [
      json(50, 'platform.start', { requestId: R_INV, version: '$LATEST' }),
      text(55, R_INV, 'INFO', { message: 'reserving stock', transaction_id: tx }),
      [3050, `${iso(3050)} ${R_INV} Task timed out after 3.00 seconds`],
      json(3051, 'platform.report', {
        requestId: R_INV,
        status: 'timeout',
        metrics: { durationMs: 3000.5, billedDurationMs: 3000, memorySizeMB: 128, maxMemoryUsedMB: 64 },
      }),
    ],
    batch: [
      [100, `START RequestId: ${R_BATCH} Version: $LATEST`],
      text(101, R_BATCH, 'INFO', { message: 'record 1', transaction_id: tx }),
      text(102, R_BATCH, 'INFO', { message: 'record 2', transaction_id: other }),
      [110, `END RequestId: ${R_BATCH}`],
      [
        110,
        `REPORT RequestId: ${R_BATCH}\tDuration: 9.50 ms\tBilled Duration: 10 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\t`,
      ],
    ],
    unrelated: [
      [200, `START RequestId: ${R_OTHER} Version: $LATEST`],
      [210, `END RequestId: ${R_OTHER}`],
    ],
  };
}

const T = Date.now() - 120_000;

async function post(app: RunningStart, fn: string, lines: readonly Line[], n: number): Promise<void> {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: `/aws/lambda/${fn}`,
    logStream: `2026/12/05/[$LATEST]${fn}`,
    subscriptionFilters: ['sluice'],
    logEvents: lines.map(([ms, message], i) => ({
      id: `${String(n).padStart(10, '0')}${String(i).padStart(46, '0')}`,
      timestamp: T + ms,
      message,
    })),
  };
  const res = await fetch(`${app.url}/ingest/cwl`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  expect(res.status).toBe(202);
}

async function getJson<T>(app: RunningStart, url: string): Promise<T> {
  const res = await fetch(`${app.url}${url}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

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
  const total = Object.values(groups(tx, other)).reduce((n, g) => n + g.length, 0);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-spans-'));
    const node = inject('opensearchUrl');
    const cfg = validateStartConfig(
      {
        data_dir: dir,
        http: { port: 0 },
        sources: { demo: { enabled: false } },
        ...(kind === 'opensearch' ? { sink: { kind: 'opensearch', url: node, index_prefix: prefix } } : {}),
      },
      'test',
    );
    app = await startLocal(cfg, {
      cwd: dir,
      env: {},
      stdin: new PassThrough(),
      ui: { html: '<!doctype html>', js: '', css: '' },
      log: () => {},
      openSearch: openSearchParts,
    });
    let n = 0;
    for (const [fn, lines] of Object.entries(groups(tx, other))) await post(app, fn, lines, n++);
    for (let i = 0; i < 120 && app.pipeline.stats().indexed < total; i++)
      await new Promise((r) => setTimeout(r, 250));
    expect(app.pipeline.stats().indexed).toBe(total);
    // OpenSearch refreshes within a second; wait until the linked lines are searchable.
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
  });
});
