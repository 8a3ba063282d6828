import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startInProcess } from '../../test/e2e/start-local.js';
import { StartConfigError } from '../errors.js';
import type { RunningStart } from '../start.js';
import { checkAccess, hostAllowed, hostName, isLoopbackAddress } from './policy.js';

const UI = { html: '<!doctype html><title>t</title>', js: '', css: '' };
let dir: string;
let app: RunningStart | undefined;

async function start(http: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Promise<RunningStart> {
  app = await startInProcess(
    dir,
    { http: { port: 0, ...http }, sources: { demo: { enabled: false } } },
    { env, ui: UI },
  );
  return app;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (fetch cannot set Host, Origin or Sec-Fetch-* as a browser does). */
function raw(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<Answer> {
  const url = new URL(app!.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: url.port,
        path,
        method,
        headers: { host: `localhost:${url.port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
/** The result-list endpoints (pages, field list, one event with its neighbours, export). */
const RESULT_APIS = [
  '/api/events',
  '/api/fields',
  '/api/event/x',
  '/api/export?format=csv',
  '/api/export?format=ndjson',
];
const code = (a: Answer): string | undefined =>
  (JSON.parse(a.body) as { error?: { code: string } }).error?.code;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-access-'));
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('the access policy (pure)', () => {
  it('knows loopback addresses and reads Host headers', () => {
    for (const h of ['127.0.0.1', '127.8.0.1', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.4', 'myhost']) expect(isLoopbackAddress(h)).toBe(false);
    expect(hostName('LocalHost:4600')).toBe('localhost');
    expect(hostName('[::1]:4600')).toBe('::1');
    expect(hostName('rebind.attacker.example.:4600')).toBe('rebind.attacker.example');
    for (const bad of ['', 'a b', 'x:y', '[zz]:1', 'a/b']) expect(hostName(bad)).toBeUndefined();
  });

  it('serves loopback names, IP literals and configured names only', () => {
    for (const n of ['localhost', 'app.localhost', '127.0.0.1', '10.0.0.2', '::1'])
      expect(hostAllowed(n, [])).toBe(true);
    expect(hostAllowed('rebind.attacker.example', [])).toBe(false);
    expect(hostAllowed('logs.internal', ['logs.internal'])).toBe(true);
    expect(hostAllowed('a.corp', ['.corp'])).toBe(true);
    expect(hostAllowed('corp', ['.corp'])).toBe(true);
    expect(hostAllowed('evilcorp', ['.corp'])).toBe(false);
  });

  it('lets a cross-site navigation open a UI page, but no cross-site read of the API', () => {
    const policy = { allowedHosts: [], corsOrigins: [], cookieName: 't' };
    const nav = {
      host: 'localhost:4600',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
    };
    expect(checkAccess(policy, { method: 'GET', headers: nav }, 'ui').ok).toBe(true);
    expect(checkAccess(policy, { method: 'GET', headers: nav }, 'api').ok).toBe(false);
    const frame = { ...nav, 'sec-fetch-dest': 'iframe' };
    expect(checkAccess(policy, { method: 'GET', headers: frame }, 'ui').ok).toBe(false);
  });
});

describe('sluice start refuses other websites', () => {
  it('refuses a Host that is not loopback, an IP or configured (DNS rebinding) on every route', async () => {
    await start();
    for (const [path, method] of [
      ['/api/search', 'GET'],
      ['/api/stats', 'GET'],
      ...RESULT_APIS.map((p) => [p, 'GET'] as const),
      ['/', 'GET'],
      ['/ingest/ndjson', 'POST'],
      ['/ingest/firehose', 'POST'],
    ] as const) {
      const a = await raw(
        path,
        { host: 'rebind.attacker.example:4600' },
        method,
        method === 'POST' ? 'x\n' : undefined,
      );
      expect(a.status, path).toBe(403);
      expect(a.body).toMatch(/HOST_NOT_ALLOWED|Host is not served/);
    }
    expect((await raw('/api/stats', { host: '127.0.0.1:4600' })).status).toBe(200);
    expect((await raw('/api/stats', { host: '[::1]:4600' })).status).toBe(200);
    expect((await raw('/api/stats')).status).toBe(200);
    expect(app!.pipeline.stats().received).toBe(0);
  });

  it('serves a name listed in http.allowed_hosts', async () => {
    await start({ allowed_hosts: ['logs.internal'] });
    expect((await raw('/api/stats', { host: 'logs.internal:4600' })).status).toBe(200);
    expect((await raw('/api/stats', { host: 'other.internal:4600' })).status).toBe(403);
  });

  it('refuses reads and writes from another origin, and browser form/text bodies', async () => {
    await start();
    const evil = { origin: 'http://attacker.example', 'sec-fetch-site': 'cross-site' };
    const read = await raw('/api/search?from=0', evil);
    expect(read.status).toBe(403);
    expect(code(read)).toBe('ORIGIN_NOT_ALLOWED');
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    for (const path of RESULT_APIS) {
      const r = await raw(path, evil);
      expect(r.status, path).toBe(403);
      expect(code(r), path).toBe('ORIGIN_NOT_ALLOWED');
      expect(r.headers['content-disposition'], path).toBeUndefined();
    }
    // Another port of localhost is another origin (same-site, still refused).
    const sameSite = await raw('/api/search', {
      origin: 'http://localhost:8080',
      'sec-fetch-site': 'same-site',
    });
    expect(sameSite.status).toBe(403);
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const w = await raw('/ingest/ndjson', { ...evil, 'content-type': type }, 'POST', 'forged\n');
      expect(w.status, type).toBe(403);
    }
    // Even same-origin, a browser may not post a simple (form/text) body.
    const port = new URL(app!.url).port;
    const form = await raw(
      '/ingest/ndjson',
      { origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' },
      'POST',
      'x\n',
    );
    expect(form.status).toBe(415);
    const preflight = await raw(
      '/ingest/ndjson',
      { ...evil, 'access-control-request-method': 'POST' },
      'OPTIONS',
    );
    expect(preflight.status).toBe(403);
    expect(app!.pipeline.stats().received).toBe(0);
    // Clients without an Origin (curl, SDKs) keep working, whatever their content type.
    const curl = await raw(
      '/ingest/ndjson',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'POST',
      'ok\n',
    );
    expect(curl.status).toBe(202);
  });

  it('answers a configured CORS origin (preflight, private network, allow-origin)', async () => {
    await start({ cors_origins: ['http://localhost:3000'] });
    const origin = { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-site' };
    const pre = await raw(
      '/ingest/ndjson',
      {
        ...origin,
        'access-control-request-method': 'POST',
        'access-control-request-private-network': 'true',
      },
      'OPTIONS',
    );
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(pre.headers['access-control-allow-private-network']).toBe('true');
    const read = await raw('/api/stats', origin);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });
});

describe('a token for every endpoint', () => {
  it('is required to listen beyond loopback', async () => {
    await expect(start({ host: '0.0.0.0' })).rejects.toThrow(StartConfigError);
    await expect(start({ host: '0.0.0.0' })).rejects.toThrow(/token_env/);
  });

  it('guards the UI, the API and every ingest endpoint (Firehose included), by header or cookie', async () => {
    await start({ host: '0.0.0.0', token_env: 'TOK' }, { TOK: 't0ken-123' });
    for (const [path, method] of [
      ['/', 'GET'],
      ['/assets/app.js', 'GET'],
      ['/api/search', 'GET'],
      ['/api/stats', 'GET'],
      ['/api/trace/x', 'GET'],
      ...RESULT_APIS.map((p) => [p, 'GET'] as const),
      ['/ingest/ndjson', 'POST'],
      ['/ingest/cwl', 'POST'],
      ['/ingest/firehose', 'POST'],
    ] as const) {
      const a = await raw(path, {}, method, method === 'POST' ? 'x\n' : undefined);
      expect(a.status, path).toBe(401);
      const wrong = await raw(
        path,
        { authorization: 'Bearer nope' },
        method,
        method === 'POST' ? 'x\n' : undefined,
      );
      expect(wrong.status, path).toBe(401);
    }
    const bearer = { authorization: 'Bearer t0ken-123' };
    expect((await raw('/api/stats', bearer)).status).toBe(200);
    for (const path of RESULT_APIS)
      expect((await raw(path, bearer)).status, path).toBe(path.startsWith('/api/event/') ? 404 : 200);
    expect((await raw('/ingest/ndjson', bearer, 'POST', 'x\n')).status).toBe(202);
    const fh = JSON.stringify({ requestId: 'r', timestamp: 1, records: [] });
    expect(
      (await raw('/ingest/firehose', { 'x-amz-firehose-access-key': 't0ken-123' }, 'POST', fh)).status,
    ).toBe(200);
    // The browser: /?token= sets an HttpOnly SameSite=Strict cookie and drops the token from the URL.
    const link = await raw('/trace/abc?token=t0ken-123');
    expect(link.status).toBe(303);
    expect(link.headers.location).toBe('/trace/abc');
    const cookie = String(link.headers['set-cookie']).split(';')[0]!;
    expect(String(link.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await raw('/api/stats', { cookie })).status).toBe(200);
    expect((await raw('/trace/abc?token=wrong')).status).toBe(401);
  });
});

describe('typed errors', () => {
  it('answers 400 for a malformed trace id, 405 with its own code, 415 for an unknown encoding', async () => {
    await start();
    const bad = await raw('/api/trace/%ZZ');
    expect(bad.status).toBe(400);
    for (const path of [
      '/api/event/%ZZ',
      '/api/events?after=nope',
      '/api/events?sort=up',
      '/api/events?limit=501',
      '/api/fields?sample=501',
      '/api/event/x?n=101',
      '/api/export?format=xml',
      '/api/export?limit=100001',
      '/api/export?format=csv&columns=a%20b',
      '/api/export?q=%22unterminated',
    ]) {
      const r = await raw(path);
      expect(r.status, path).toBe(400);
      expect(code(r), path).toMatch(/^SEARCH_/);
    }
    expect(code(await raw('/api/event/no-such-id'))).toBe('NOT_FOUND');
    const put = await raw('/api/search', {}, 'PUT');
    expect(put.status).toBe(405);
    expect(code(put)).toBe('METHOD_NOT_ALLOWED');
    expect(put.headers.allow).toBe('GET, HEAD');
    const get = await raw('/ingest/ndjson');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const br = await raw('/ingest/ndjson', { 'content-encoding': 'br' }, 'POST', 'x');
    expect(br.status).toBe(415);
    expect(code(br)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(app!.pipeline.stats().received).toBe(0);
  });

  it('fails at once with a typed error when the port is busy, leaving nothing running', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    await expect(
      startInProcess(
        join(dir, 'b'),
        { http: { port }, sources: { demo: { enabled: false } } },
        { cwd: dir, ui: UI },
      ),
    ).rejects.toMatchObject({ code: 'START_PORT_IN_USE' });
  });
});
