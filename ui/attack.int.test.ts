import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { RunningStart } from '../local/start.js';
import { browserTest } from '../test/e2e/browser.js';
import { startInProcess } from '../test/e2e/start-local.js';

/**
 * What a website does to a `sluice start` on the same laptop, in a real Chromium: a page on
 * another origin (a second local server) reads and writes across origins, and a DNS-rebinding page
 * (a hostname the attacker controls, mapped to 127.0.0.1 with --host-resolver-rules) reads and
 * writes "same-origin". Every attempt must fail at the server, which a control run with the
 * attacker's origin configured in http.cors_origins shows (then the same requests get through).
 */
const UI = { html: '<!doctype html><title>sluice</title>', js: '', css: '' };
const SECRET = 'planted-secret-4242';

/** The attacker's script: tries every read and write it can, and reports what it could see. */
const attackScript = (target: string) => `
window.results = (async () => {
  const out = {};
  const attempt = async (name, fn) => { try { out[name] = await fn(); } catch (e) { out[name] = 'error: ' + e.name; } };
  await attempt('read', async () => { const r = await fetch('${target}/api/search?from=0&q=*'); return r.status + ' ' + (await r.text()); });
  await attempt('stats', async () => { const r = await fetch('${target}/api/stats'); return r.status + ' ' + (await r.text()); });
  await attempt('writeSimple', async () => { const r = await fetch('${target}/ingest/ndjson', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: 'forged-simple {"level":"error","service":"payments"}' }); return r.type + ' ' + r.status; });
  await attempt('writeJson', async () => { const r = await fetch('${target}/ingest/ndjson', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: 'forged-json\\n' }); return r.status + ' ' + (await r.text()); });
  await attempt('form', async () => {
    const f = document.createElement('form');
    f.method = 'POST'; f.action = '${target}/ingest/ndjson'; f.enctype = 'text/plain'; f.target = 'sink';
    const i = document.createElement('input'); i.name = 'forged-form'; i.value = 'x'; f.appendChild(i);
    const frame = document.createElement('iframe'); frame.name = 'sink'; document.body.appendChild(frame);
    document.body.appendChild(f);
    await new Promise((resolve) => { frame.onload = resolve; f.submit(); setTimeout(resolve, 3000); });
    return 'submitted';
  });
  return out;
})();
`;

const attackPage = (target: string) =>
  `<!doctype html><html><body><h1>cute cats</h1><script>${attackScript(target)}</script></body></html>`;

let attacker: Server;
let attackerPort: number;

async function sluice(
  dir: string,
  corsOrigins: string[] = [],
  allowedHosts: string[] = [],
): Promise<RunningStart> {
  const app = await startInProcess(
    mkdtempSync(join(dir, 'store-')),
    {
      http: { port: 0, cors_origins: corsOrigins, allowed_hosts: allowedHosts },
      sources: { demo: { enabled: false } },
    },
    { cwd: dir, ui: UI },
  );
  const res = await fetch(`${app.url}/ingest/ndjson`, {
    method: 'POST',
    body: `${SECRET} stored by the owner\n`,
    headers: { 'content-type': 'application/x-ndjson' },
  });
  expect(res.status).toBe(202);
  for (let i = 0; i < 100 && app.pipeline.stats().indexed < 1; i++)
    await new Promise((r) => setTimeout(r, 20));
  return app;
}

/** Runs the attack page at `pageUrl` and returns what it saw. */
async function attack(browser: BrowserContext, pageUrl: string): Promise<Record<string, string>> {
  const tab = await browser.newPage();
  try {
    await tab.goto(pageUrl);
    return (await tab.evaluate('window.results')) as Record<string, string>;
  } finally {
    await tab.close();
  }
}

/** Lines the owner did not send that reached the store (forged events). */
async function forged(app: RunningStart): Promise<number> {
  await new Promise((r) => setTimeout(r, 300));
  const s = app.pipeline.stats();
  return s.received - 1;
}

const it = browserTest({
  prefix: 'sluice-attack-',
  chromium: {
    extraArgs: [
      '--host-resolver-rules=MAP attacker.example 127.0.0.1, MAP rebind.attacker.example 127.0.0.1',
      // Chromium's own Private Network Access checks would stop the rebinding page before it
      // reaches the server (other browsers have none): off, so the server's refusal is what is tested.
      '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks',
    ],
  },
  setupTimeoutMs: 120_000,
});

it.beforeAll(async () => {
  // The attacker's web server (its page's target comes in the query string).
  attacker = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '';
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackPage(target));
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerPort = (attacker.address() as AddressInfo).port;
});

it.afterAll(async () => {
  // Chromium (closed after this hook) still holds keep-alive connections to it: closed here.
  attacker?.closeAllConnections();
  await new Promise((r) => attacker?.close(r));
});

describe('a website attacking sluice start in Chromium', () => {
  it('cannot read or write from another origin', async ({ dir, browser }) => {
    const app = await sluice(dir);
    try {
      const seen = await attack(
        browser,
        `http://attacker.example:${attackerPort}/?target=${encodeURIComponent(app.url)}`,
      );
      for (const k of ['read', 'stats', 'writeJson']) expect(seen[k], k).not.toContain(SECRET);
      expect(JSON.stringify(seen)).not.toContain(SECRET);
      expect(JSON.stringify(seen)).not.toContain('dataDir');
      expect(await forged(app)).toBe(0);
    } finally {
      await app.stop();
    }
  });

  it('control: the same page gets through when its origin is configured in http.cors_origins', async ({
    dir,
    browser,
  }) => {
    const origin = `http://attacker.example:${attackerPort}`;
    const app = await sluice(dir, [origin]);
    try {
      const seen = await attack(browser, `${origin}/?target=${encodeURIComponent(app.url)}`);
      expect(seen.read).toContain(SECRET);
      expect(await forged(app)).toBeGreaterThan(0);
    } finally {
      await app.stop();
    }
  });

  /** Serves the attacker's page for the rebinding name (its first DNS answer), then runs it. */
  async function rebind(
    browser: BrowserContext,
    app: RunningStart,
  ): Promise<{ seen: Record<string, string>; direct: number }> {
    const rebound = `http://rebind.attacker.example:${new URL(app.url).port}`;
    const tab = await browser.newPage();
    try {
      // The first lookup gave the attacker's server: its page is served for this origin. Every
      // later request of the page goes to 127.0.0.1 (the host-resolver rule): to sluice.
      await tab.route(`${rebound}/cats`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: attackPage('') }),
      );
      await tab.goto(`${rebound}/cats`);
      const seen = (await tab.evaluate('window.results')) as Record<string, string>;
      const direct = await tab.goto(`${rebound}/api/search?from=0`);
      return { seen, direct: direct?.status() ?? 0 };
    } finally {
      await tab.close();
    }
  }

  it('cannot read or write through DNS rebinding (its page made same-origin with the server)', async ({
    dir,
    browser,
  }) => {
    const app = await sluice(dir);
    try {
      const { seen, direct } = await rebind(browser, app);
      expect(seen.read).toMatch(/^403 .*HOST_NOT_ALLOWED/);
      expect(seen.stats).toMatch(/^403 /);
      expect(seen.writeJson).toMatch(/^403 /);
      expect(JSON.stringify(seen)).not.toContain(SECRET);
      expect(await forged(app)).toBe(0);
      expect(direct).toBe(403);
    } finally {
      await app.stop();
    }
  });

  it('control: the rebinding page reads and writes when its name is an allowed host', async ({
    dir,
    browser,
  }) => {
    const app = await sluice(dir, [], ['rebind.attacker.example']);
    try {
      const { seen } = await rebind(browser, app);
      expect(seen.read).toContain(SECRET);
      expect(await forged(app)).toBeGreaterThan(0);
    } finally {
      await app.stop();
    }
  });
});
