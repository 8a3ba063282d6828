import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CwlEnvelope } from '../../ingest/envelope.js';
import { startInProcess } from '../../test/e2e/start-local.js';
import { awslogsEventOf, CONTROL_MESSAGE, encodeCwlData } from '../../test/factories/cwl.js';
import type { LogEvent } from '../../transform/schema.js';
import type { RunningStart } from '../start.js';

/** A DATA_MESSAGE with the given event ids and messages (times: now). */
function makeEnvelope(o: { logGroup: string; events: { id: string; message: string }[] }): CwlEnvelope {
  const now = Date.now();
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: o.logGroup,
    logStream: '2026/01/01/[$LATEST]abc',
    subscriptionFilters: ['sluice'],
    logEvents: o.events.map((e, i) => ({ id: e.id, timestamp: now + i, message: e.message })),
  };
}

const UI = { html: '<!doctype html><title>t</title>', js: '', css: '' };
let dir: string;
let app: RunningStart;

async function start(http: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Promise<void> {
  app = await startInProcess(
    dir,
    { http: { port: 0, ...http }, sources: { demo: { enabled: false } } },
    { env, ui: UI },
  );
}

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers,
  });

async function settled(expected: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const s = app.pipeline.stats();
    if (s.indexed + s.dropped + s.deadLettered + s.duplicate >= expected && s.queued === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`pipeline did not settle on ${expected} events: ${JSON.stringify(app.pipeline.stats())}`);
}

async function search(q: string): Promise<LogEvent[]> {
  const r = await fetch(`${app.url}/api/search?from=0&q=${encodeURIComponent(q)}`);
  return ((await r.json()) as { events: LogEvent[] }).events;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-http-'));
});
afterEach(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /ingest/ndjson', () => {
  it('takes raw log lines of any shape and CWL payload lines, normalised and redacted', async () => {
    await start();
    const body = [
      JSON.stringify({
        level: 30,
        time: Date.now(),
        name: 'checkout',
        msg: 'paid with 4111 1111 1111 1111',
        transaction_id: 'tx-nd',
      }),
      'plain text line from a script',
      JSON.stringify(
        makeEnvelope({
          logGroup: '/aws/lambda/billing',
          events: [{ id: 'cwl-1', message: '{"level":"error","message":"boom","transaction_id":"tx-nd"}' }],
        }),
      ),
      '',
    ].join('\n');
    const res = await post('/ingest/ndjson', body, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3, rejected: 0, truncated: 0 });
    await settled(3);
    const tx = (await (await fetch(`${app.url}/api/trace/tx-nd`)).json()) as { events: LogEvent[] };
    expect(tx.events.map((e) => e.service.name).sort()).toEqual(['billing', 'checkout']);
    const paid = tx.events.find((e) => e.service.name === 'checkout')!;
    expect(paid.message).not.toContain('4111');
    expect(paid.redaction?.rules.length).toBeGreaterThan(0);
    expect((await search('"plain text line"')).length).toBe(1);
  });

  it('recognises a resent batch by X-Sluice-Batch-Id (duplicates, not new events)', async () => {
    await start();
    const headers = { 'x-sluice-batch-id': 'batch-42' };
    await post('/ingest/ndjson', 'one\ntwo\n', headers);
    await post('/ingest/ndjson', 'one\ntwo\n', headers);
    await settled(4);
    expect(app.pipeline.stats()).toMatchObject({ indexed: 2, duplicate: 2 });
  });

  it('accepts a gzip request body and refuses one past max_body_bytes with 413', async () => {
    await start({ max_body_bytes: 2048, limits: { max_decoded_bytes: 4096 } });
    const ok = await post('/ingest/ndjson', gzipSync('zipped line\n'), { 'content-encoding': 'gzip' });
    expect(ok.status).toBe(202);
    const big = await post('/ingest/ndjson', 'x'.repeat(5000));
    expect(big.status).toBe(413);
    const bomb = await post('/ingest/ndjson', gzipSync('y'.repeat(100_000)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(await bomb.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('requires the bearer token when one is configured', async () => {
    await start({ ingest_token_env: 'TOKEN' }, { TOKEN: 's3cret' });
    expect((await post('/ingest/ndjson', 'a\n')).status).toBe(401);
    expect((await post('/ingest/ndjson', 'a\n', { authorization: 'Bearer wrong!' })).status).toBe(401);
    expect((await post('/ingest/ndjson', 'a\n', { authorization: 'Bearer s3cret' })).status).toBe(202);
  });
});

describe('POST /ingest/cwl', () => {
  it('takes a DATA_MESSAGE as JSON, an {awslogs:{data}} event and base64 gzip data; skips CONTROL_MESSAGEs', async () => {
    await start();
    const env = (id: string) =>
      makeEnvelope({ logGroup: '/aws/lambda/orders', events: [{ id, message: `event ${id}` }] });
    expect((await post('/ingest/cwl', JSON.stringify(env('a1')))).status).toBe(202);
    expect((await post('/ingest/cwl', JSON.stringify(awslogsEventOf(encodeCwlData(env('a2')))))).status).toBe(
      202,
    );
    expect((await post('/ingest/cwl', encodeCwlData(env('a3')))).status).toBe(202);
    expect((await post('/ingest/cwl', JSON.stringify(CONTROL_MESSAGE))).status).toBe(202);
    await settled(3);
    expect(app.pipeline.stats()).toMatchObject({ indexed: 3, controlSkipped: 1 });
    expect((await search('service:orders')).map((e) => e.event.id).sort()).toEqual(['a1', 'a2', 'a3']);
  });

  it('answers 400 for a body that is no subscription payload, and dead-letters a corrupt one', async () => {
    await start();
    const res = await post('/ingest/cwl', 'just some text');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { rejected: number }).rejected).toBe(1);
    const letters = readFileSync(join(dir, 'dead-letters.ndjson'), 'utf8').trim().split('\n');
    expect(JSON.parse(letters[0]!)).toMatchObject({
      stage: 'ingest',
      error: { code: 'INGEST_RECORD_INVALID' },
    });
  });
});

describe('POST /ingest/firehose (Kinesis Data Firehose HTTP endpoint delivery)', () => {
  const delivery = (records: string[]) =>
    JSON.stringify({ requestId: 'req-1', timestamp: Date.now(), records: records.map((data) => ({ data })) });

  it('decodes base64 gzip CWL records and answers {requestId, timestamp}', async () => {
    await start({ firehose_access_key_env: 'FH_KEY' }, { FH_KEY: 'k-123' });
    const env = makeEnvelope({
      logGroup: '/aws/lambda/payments',
      events: [
        { id: 'f1', message: 'one' },
        { id: 'f2', message: 'two' },
      ],
    });
    const raw = Buffer.from('line from a direct put\n').toString('base64');
    const res = await post('/ingest/firehose', delivery([encodeCwlData(env), raw]), {
      'content-type': 'application/json',
      'x-amz-firehose-request-id': 'req-1',
      'x-amz-firehose-access-key': 'k-123',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { requestId: string; timestamp: number; errorMessage?: string };
    expect(body.requestId).toBe('req-1');
    expect(typeof body.timestamp).toBe('number');
    expect(body.errorMessage).toBeUndefined();
    await settled(3);
    expect((await search('service:payments')).length).toBe(2);
    expect((await search('"direct put"')).length).toBe(1);
  });

  it('refuses a missing or wrong access key with 401 and an errorMessage', async () => {
    await start({ firehose_access_key_env: 'FH_KEY' }, { FH_KEY: 'k-123' });
    const res = await post('/ingest/firehose', delivery([]), {
      'x-amz-firehose-request-id': 'req-9',
      'x-amz-firehose-access-key': 'nope',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      requestId: 'req-9',
      errorMessage: expect.stringContaining('X-Amz-Firehose-Access-Key'),
    });
  });

  it('answers 400 with an errorMessage for a body that is not a delivery request', async () => {
    await start();
    const res = await post('/ingest/firehose', '{"records": "no"}', { 'x-amz-firehose-request-id': 'req-2' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      requestId: 'req-2',
      errorMessage: expect.stringContaining('Firehose'),
    });
  });

  it('dead-letters an undecodable record and still accepts its neighbours', async () => {
    await start();
    const good = encodeCwlData(
      makeEnvelope({ logGroup: '/aws/lambda/x', events: [{ id: 'g1', message: 'fine' }] }),
    );
    const bad = Buffer.from([0x1f, 0x8b, 1, 2, 3]).toString('base64');
    const res = await post('/ingest/firehose', delivery([bad, good]));
    expect(res.status).toBe(200);
    await settled(1);
    expect(app.pipeline.stats()).toMatchObject({ indexed: 1, deadLetteredByStage: { ingest: 1 } });
  });
});

describe('the search API over HTTP', () => {
  it('splits an OTLP resourceLogs line into one event per record, and sorts them by a field over HTTP', async () => {
    await start();
    const kv = (key: string, v: string) => ({ key, value: { stringValue: v } });
    const now = Date.now();
    const rec = (n: number, level: string) => ({
      timeUnixNano: String((now - 1000 + n) * 1e6),
      severityText: level,
      body: { stringValue: `otlp ${n}` },
    });
    const line = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [kv('service.name', 'zeta')] },
          scopeLogs: [{ logRecords: [rec(0, 'INFO'), rec(1, 'ERROR')] }],
        },
        {
          resource: { attributes: [kv('service.name', 'alpha')] },
          scopeLogs: [{ logRecords: [rec(2, 'WARN'), 'bad'] }],
        },
      ],
    });
    const res = await post('/ingest/ndjson', `${line}\n`, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(202);
    await settled(4);
    const get = async (qs: string) => {
      const r = await fetch(`${app.url}${qs}`);
      return { status: r.status, body: (await r.json()) as { events: LogEvent[]; next?: string } };
    };
    const byService = await get('/api/search?from=0&q=-error.type:*&sort=service.name:asc&limit=2');
    expect(byService.body.events.map((e) => [e.service.name, e.message])).toEqual([
      ['alpha', 'otlp 2'],
      ['zeta', 'otlp 1'],
    ]);
    const rest = await get(
      `/api/events?from=0&q=-error.type:*&sort=service.name:asc&limit=2&after=${byService.body.next}`,
    );
    expect(rest.body.events.map((e) => e.message)).toEqual(['otlp 0']);
    const byLevel = await get('/api/search?from=0&sort=level:desc&limit=10');
    expect(byLevel.body.events.map((e) => e.log.level)).toEqual(['error', 'error', 'warn', 'info']);
    // the bad record is an event with its typed error, next to the good ones
    expect(byLevel.body.events.map((e) => e.error?.type)).toContain('OTLP_RECORD_INVALID');
    // an export follows the list's sort
    const exported = await (
      await fetch(`${app.url}/api/export?format=ndjson&from=0&q=-error.type:*&sort=service.name:asc`)
    ).text();
    expect(
      exported
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as LogEvent).message),
    ).toEqual(['otlp 2', 'otlp 1', 'otlp 0']);
    const refused = await get('/api/search?sort=message:asc');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/parameter sort must be .*message is not sortable/);
    expect((await get('/api/search?sort=service:asc&offset=5')).status).toBe(400);
  });

  it('answers 400 with the position for a bad query, and 404 for an unknown API', async () => {
    await start();
    const bad = await fetch(`${app.url}/api/search?q=${encodeURIComponent('service:"open')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'SEARCH_QUERY_SYNTAX', position: 8 } });
    const unknown = await fetch(
      `${app.url}/api/search?q=${encodeURIComponent('level:error service.nam:orders')}`,
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: {
        code: 'SEARCH_QUERY_SYNTAX',
        message: expect.stringContaining('did you mean service.name?'),
        position: 12,
        length: 11,
        found: 'field service.nam',
        expected: ['a field of the event schema or attributes.<name> (quote text that contains ":")'],
        suggestion: 'service.name',
      },
    });
    const tail = await fetch(`${app.url}/api/tail?q=${encodeURIComponent('level:error)')}`);
    expect(tail.status).toBe(400);
    expect(await tail.json()).toMatchObject({ error: { position: 11, found: '")"' } });
    expect((await fetch(`${app.url}/api/nope`)).status).toBe(404);
    expect((await fetch(`${app.url}/trace/abc`)).headers.get('content-type')).toContain('text/html');
  });
});
