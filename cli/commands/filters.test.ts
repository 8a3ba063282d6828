import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSluice } from '../../test/factories/cli.js';

const sluice = (argv: string[], env: Record<string, string> = {}, stdin = '') =>
  runSluice(argv, { cwd: dir, env, stdin });

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
      'rules:\n  - name: a\n    kind: drop\n    drop_when: { field: attributes.x, matchs: y }\n  - name: b\n    kind: redact\n    patterns: ["(a|a)*b"]\n',
    );
    const r = await sluice(['filters', 'lint', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml:4:39 rule 'a' at rules[0].drop_when.matchs: unknown key 'matchs'");
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
    expect(r.stdout).not.toContain('acted on no');
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

describe('sluice filters test --cases', () => {
  const cases = write(
    'good.cases.yaml',
    `secrets: { PII_KEY: test-only-key }
cases:
  - name: health checks are dropped
    input: { attributes: { path: /health } }
    expect: { outcome: drop, reason: drop-health }
  - name: an e-mail is hashed
    line: '{"level":30,"time":1714564800000,"msg":"by bob@example.com"}'
    expect:
      outcome: keep
      rules: [hash-email]
      event: { message: "by hmac:3f3353bcbc790432cc75ff958447313f" }
      absent: [bob@example.com]
  - name: a wrong expectation
    input: { attributes: { path: /orders } }
    expect: { outcome: drop }
`,
  );

  it('exits 1 and says what differs when a case fails; the test key in the cases file wins', async () => {
    const r = await sluice(['filters', 'test', good, '--cases', cases], { PII_KEY: 'production-key' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  ✓ health checks are dropped');
    // The token was computed with the cases file's test-only-key, not the environment's key.
    expect(r.stdout).toContain('  ✓ an e-mail is hashed');
    expect(r.stdout).toContain('  ✗ a wrong expectation\n      outcome: expected drop, got keep\n');
    expect(r.stdout).toContain('3 cases: 2 passed, 1 failed');
    expect(r.stderr).toBe('');
  });

  it('exits 0 when every case holds, across several cases files', async () => {
    const ok = write(
      'ok.cases.yaml',
      `cases:
  - name: other paths are kept untouched
    input: { attributes: { path: /orders } }
    expect: { outcome: keep, no_redaction: true, rules: [] }
`,
    );
    const r = await sluice(['filters', 'test', good, '--cases', ok, '--cases', ok]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 cases: 2 passed, 0 failed');
    expect(r.stdout).toContain('rules that acted on no case: drop-health, hash-email');
    // No case hashes anything, but the rules need the key: the throwaway key is announced.
    expect(r.stderr).toContain('hash key PII_KEY is not in the environment');
  });

  it('exits 2 listing every problem of an invalid cases file with line:column', async () => {
    const bad = write(
      'bad.cases.yaml',
      'cases:\n  - name: x\n    input: {}\n    expect: { outcome: maybe }\n  - name: y\n    input: {}\n    extra: 1\n    expect: { outcome: keep }\n',
    );
    const r = await sluice(['filters', 'test', good, '--cases', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.cases.yaml:4:24 at cases[0].expect.outcome: Invalid option');
    expect(r.stderr).toContain("bad.cases.yaml:7:5 at cases[1].extra: unknown key 'extra'");
    expect(r.stderr).toContain('bad.cases.yaml: 2 problems');
  });

  it('refuses samples together with --cases (exit 2)', async () => {
    const r = await sluice(['filters', 'test', good, 'samples.ndjson', '--cases', cases]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no SAMPLES');
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
