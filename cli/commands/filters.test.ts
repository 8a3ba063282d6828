import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

function collect() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => {
    text += String(c);
  });
  return { stream, text: () => text };
}

async function sluice(argv: string[], env: Record<string, string> = {}, stdin = '') {
  const out = collect();
  const err = collect();
  const input = new PassThrough();
  input.end(stdin);
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    stdin: input,
    env,
    cwd: dir,
    signal: new AbortController().signal,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

const dir = mkdtempSync(path.join(tmpdir(), 'sluice-filters-cli-'));
const write = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return name;
};

/** The shared rules fixture (a drop and a hash redaction keyed by PII_KEY). */
const good = fileURLToPath(new URL('../../test/fixtures/rules/drop-health-hash-email.yaml', import.meta.url));

describe('sluice filters lint', () => {
  it('exits 0 on a clean file and names the hash keys the runtime must provide', async () => {
    const r = await sluice(['filters', 'lint', good]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK — 2 rules (1 drop, 1 redact), default pack on');
    expect(r.stdout).toContain('PII_KEY');
  });

  it('exits 2 listing every problem with line:column', async () => {
    const bad = write(
      'bad.yaml',
      'rules:\n  - name: a\n    kind: drop\n    drop_when: { field: x, matchs: y }\n  - name: b\n    kind: redact\n    patterns: ["(a|a)*b"]\n',
    );
    const r = await sluice(['filters', 'lint', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml:4:28 rule 'a' at rules[0].drop_when.matchs: unknown key 'matchs'");
    expect(r.stderr).toMatch(/bad\.yaml:7:\d+ rule 'b' at rules\[1\]\.patterns\[0\].*catastrophic/);
    expect(r.stderr).toContain('bad.yaml: 3 problems');
  });

  it('exits 2 for a missing file', async () => {
    expect((await sluice(['filters', 'lint', 'nope.yaml'])).code).toBe(2);
  });
});

describe('sluice filters test', () => {
  const samples = write(
    'samples.ndjson',
    [
      '{"level":30,"time":1714564800000,"msg":"paid by bob@example.com with 4111111111111111"}',
      '{"level":30,"msg":"ok","path":"/health"}',
    ].join('\n'),
  );

  it('shows outcome, rules fired and a before/after diff for each sample', async () => {
    const r = await sluice(['filters', 'test', good, samples], { PII_KEY: 'k' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('samples.ndjson:1 (raw line)');
    expect(r.stdout).toContain('rules fired: hash-email, default/payment-card');
    expect(r.stdout).toContain('  - message: "paid by bob@example.com with 4111111111111111"');
    expect(r.stdout).toMatch(/ {2}\+ message: "paid by hmac:[0-9a-f]{32} with \[REDACTED:payment_card\]"/);
    expect(r.stdout).toContain('outcome: drop (reason: drop-health)');
    expect(r.stdout).toContain('2 samples: 1 kept, 1 dropped, 0 failed');
    expect(r.stderr).toBe('');
  });

  it('accepts LogEvent JSON from stdin and warns about a missing hash key', async () => {
    const event = {
      '@timestamp': '2024-05-01T12:00:00.000Z',
      message: 'mail a@b.co',
      log: { level: 'info', format: 'json' },
      service: { name: 's' },
      event: { id: 'e1', ingested: '2024-05-01T12:00:00.000Z' },
      aws: { cloudwatch: { log_group: 'g', log_stream: 's' } },
      attributes: {},
    };
    const r = await sluice(['filters', 'test', good], {}, `${JSON.stringify(event)}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stdin:1 (LogEvent)');
    expect(r.stderr).toContain('hash key PII_KEY is not in the environment');
  });
});

describe('sluice filters', () => {
  it('rejects an unknown sub-command with exit 2', async () => {
    const r = await sluice(['filters', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lint, test or docs');
  });

  it('docs --check reports stale files with exit 1', async () => {
    const r = await sluice(['filters', 'docs', '--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('docs/filters.md is out of date');
  });
});
