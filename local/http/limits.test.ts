import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startInProcess } from '../../test/e2e/start-local.js';
import { awslogsEventOf, encodeCwlData, makeEnvelope } from '../../test/factories/cwl.js';
import type { LogEvent } from '../../transform/schema.js';
import type { RunningStart } from '../start.js';

const UI = { html: '<!doctype html><title>t</title>', js: '', css: '' };
let dir: string;
let app: RunningStart;

async function start(http: Record<string, unknown> = {}): Promise<void> {
  app = await startInProcess(
    dir,
    { http: { port: 0, ...http }, sources: { demo: { enabled: false } } },
    { ui: UI },
  );
}
const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers,
  });

async function settled(expected: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const s = app.pipeline.stats();
    if (s.indexed + s.dropped + s.deadLettered + s.duplicate >= expected && s.queued === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`pipeline did not settle on ${expected} events: ${JSON.stringify(app.pipeline.stats())}`);
}

const letters = (): { stage: string; error: { code: string }; original: { data: string } }[] =>
  readFileSync(join(dir, 'dead-letters.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** A payload that inflates to about `bytes` (one event per ~100 bytes). */
const bigPayload = (bytes: number, prefix: string): string =>
  encodeCwlData(
    makeEnvelope(
      Array.from({ length: Math.ceil(bytes / 100) }, (_, i) => `line ${i} ${'z'.repeat(80)}`),
      { idPrefix: prefix },
    ),
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-limits-'));
});
afterEach(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest budgets', () => {
  it('counts payloads nested in an NDJSON body against max_decoded_bytes (413, not 2.9M events)', async () => {
    await start({ limits: { max_decoded_bytes: 1024 * 1024, max_events_per_request: 1_000_000 } });
    const body = `${[0, 1, 2, 3].map((i) => JSON.stringify(awslogsEventOf(bigPayload(400_000, `p${i}`)))).join('\n')}\n`;
    expect(body.length).toBeLessThan(200_000); // small on the wire, ~1.6 MB inflated
    const res = await post('/ingest/ndjson', body, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('max_decoded_bytes') },
    });
    // Within the budget, the same kind of body is taken whole.
    const ok = await post('/ingest/ndjson', JSON.stringify(awslogsEventOf(bigPayload(400_000, 'q'))), {
      'content-type': 'application/x-ndjson',
    });
    expect(ok.status).toBe(202);
    expect(((await ok.json()) as { accepted: number }).accepted).toBe(4000);
  });

  it('applies the same decoded budget to /ingest/cwl and /ingest/firehose bodies', async () => {
    await start({ limits: { max_decoded_bytes: 1024 * 1024, max_events_per_request: 1_000_000 } });
    const datas = [0, 1, 2, 3].map((i) => bigPayload(400_000, `c${i}`));
    const kinesis = {
      Records: datas.map((data, i) => ({ kinesis: { data, sequenceNumber: String(i), partitionKey: 'k' } })),
    };
    expect(
      (await post('/ingest/cwl', JSON.stringify(kinesis), { 'content-type': 'application/json' })).status,
    ).toBe(413);
    const fh = JSON.stringify({ requestId: 'r', timestamp: 1, records: datas.map((data) => ({ data })) });
    const res = await post('/ingest/firehose', fh, {
      'content-type': 'application/json',
      'x-amz-firehose-request-id': 'r',
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      requestId: 'r',
      errorMessage: expect.stringContaining('max_decoded_bytes'),
    });
  });

  it('refuses more than max_events_per_request events', async () => {
    await start({ limits: { max_events_per_request: 100 } });
    const res = await post('/ingest/ndjson', Array.from({ length: 150 }, (_, i) => `line ${i}`).join('\n'));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'max_events_per_request',
    );
  });

  it('refuses a gzip body that inflates past the decoded budget', async () => {
    await start({ limits: { max_decoded_bytes: 64 * 1024 } });
    const res = await post('/ingest/ndjson', gzipSync('y'.repeat(1_000_000)), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
  });

  it('keeps an oversized or too wide event, truncated with a marker, and counts it', async () => {
    await start({ limits: { max_event_bytes: 100_000, max_event_fields: 50 } });
    const wide: Record<string, unknown> = { msg: 'wide one', transaction_id: 'tx-wide' };
    for (let i = 0; i < 5000; i++) wide[`f${i}`] = i;
    const body = [`long ${'a'.repeat(300_000)}`, JSON.stringify(wide)].join('\n');
    const res = await post('/ingest/ndjson', body, { 'content-type': 'application/x-ndjson' });
    expect(await res.json()).toEqual({ accepted: 2, rejected: 0, truncated: 2 });
    await settled(2);
    expect(app.pipeline.stats()).toMatchObject({ indexed: 2, truncated: 2 });
    const r = (await (await fetch(`${app.url}/api/search?from=0&limit=10`)).json()) as { events: LogEvent[] };
    const long = r.events.find((e) => e.message.startsWith('long'))!;
    expect(long.message).toMatch(/\[sluice: truncated, 300005 bytes\]$/);
    const w = r.events.find((e) => e.message === 'wide one');
    if (!w) throw new Error(JSON.stringify(r.events.map((e) => e.message.slice(0, 200))));
    expect(JSON.stringify(w)).toContain('kept 50 of 5002 fields');
  });

  it('answers 429 with Retry-After when every large-request slot is taken, keeps a lane for small ones, and the slot frees again', async () => {
    await start({ limits: { max_concurrent_requests: 1 } });
    const url = new URL(app.url);
    // A slow client holds the only slot: headers sent, the body still coming.
    const slow = request({
      host: '127.0.0.1',
      port: url.port,
      path: '/ingest/ndjson',
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' },
    });
    const slowAnswer = new Promise<number>((resolve) =>
      slow.on('response', (r) => resolve(r.statusCode ?? 0)),
    );
    slow.write('first line\n');
    await new Promise((r) => setTimeout(r, 200));
    const busy = await post('/ingest/ndjson', `${'x'.repeat(300 * 1024)}\n`);
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    // A small request has its own lane: large bodies being read do not keep it out.
    expect((await post('/ingest/ndjson', 'small\n')).status).toBe(202);
    // Search and the UI are not held up by it.
    expect((await fetch(`${app.url}/api/stats`)).status).toBe(200);
    slow.end('last line\n');
    expect(await slowAnswer).toBe(202);
    expect((await post('/ingest/ndjson', 'third\n')).status).toBe(202);
  });
});

describe('ingest dead letters keep the original bytes', () => {
  it('for a rejected /ingest/cwl body and a rejected payload inside an NDJSON body', async () => {
    await start();
    const cwl = await post('/ingest/cwl', 'just some text that is no payload');
    expect(cwl.status).toBe(400);
    const corrupt = JSON.stringify(awslogsEventOf(Buffer.from([0x1f, 0x8b, 1, 2, 3]).toString('base64')));
    const nd = await post('/ingest/ndjson', `fine line\n${corrupt}\n`, {
      'content-type': 'application/x-ndjson',
    });
    expect(await nd.json()).toMatchObject({ accepted: 1, rejected: 1 });
    await settled(1);
    const [first, second] = letters();
    expect(first).toMatchObject({ stage: 'ingest', error: { code: 'INGEST_RECORD_INVALID' } });
    expect(Buffer.from(first!.original.data, 'base64').toString('utf8')).toBe(
      'just some text that is no payload',
    );
    expect(second).toMatchObject({ stage: 'ingest', error: { code: 'INGEST_GZIP_INVALID' } });
    expect(Buffer.from(second!.original.data, 'base64').toString('utf8')).toBe(corrupt);
  });
});
