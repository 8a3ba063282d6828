import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-start-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): {
  child: ReturnType<typeof spawn>;
  out: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [BIN, 'start', ...args], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += d;
  });
  child.stderr?.on('data', (d) => {
    text += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => text, exit };
}

describe('sluice start (the real command)', () => {
  it('prints where the UI is, serves it, and stops cleanly on SIGINT with exit 0', async () => {
    const p = run(['--port', '0', '--no-demo', '--quiet', '--data-dir', 'data']);
    for (let i = 0; i < 300 && !/open the trace explorer: (http:\S+)/.test(p.out()); i++)
      await new Promise((r) => setTimeout(r, 100));
    const url = /open the trace explorer: (http:\S+)/.exec(p.out())?.[1];
    expect(url).toBeDefined();
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain('/assets/app.js');
    const js = await fetch(`${url}/assets/app.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(10_000);
    const res = await fetch(`${url}/ingest/ndjson`, { method: 'POST', body: 'hello from the cli test\n' });
    expect(res.status).toBe(202);
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/stopped\. received 1 · indexed 1/);
  }, 60_000);

  it('exits 2 (bad configuration, by error type) when a variable the config names is not set', async () => {
    const p = run([
      '--port',
      '0',
      '--no-demo',
      '--quiet',
      '--data-dir',
      'data',
      '--token-env',
      'SLUICE_TEST_UNSET_TOKEN',
    ]);
    expect(await p.exit).toBe(2);
    expect(p.out()).toMatch(/http\.token_env: environment variable SLUICE_TEST_UNSET_TOKEN is not set/);
  }, 60_000);

  it('exits 2 with every problem listed for a bad config file', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'http:\n  port: -1\nsourcez: {}\n');
    const p = run(['--config', 'bad.yaml']);
    expect(await p.exit).toBe(2);
    expect(p.out()).toMatch(/bad\.yaml: invalid config/);
    expect(p.out()).toMatch(/line 2:\d+: http\.port/);
    expect(p.out()).toMatch(/sourcez/);
  }, 60_000);

  it('ends with stdin when stdin is the only source', async () => {
    const p = run([
      '--port',
      '0',
      '--stdin',
      '--no-demo',
      '--no-http-ingest',
      '--quiet',
      '--data-dir',
      'data',
    ]);
    p.child.stdin?.end('{"level":30,"msg":"one"}\nplain two\n');
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/stopped\. received 2 · indexed 2/);
  }, 60_000);
});
