import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../transform/schema.js';
import { main } from '../main.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sluice-process-rules-'));

async function processWith(argv: string[], stdin: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (c) => {
    stdout += String(c);
  });
  const err = new PassThrough().on('data', (c) => {
    stderr += String(c);
  });
  const input = new PassThrough();
  input.end(stdin);
  const code = await main(['process', ...argv], {
    stdout: out,
    stderr: err,
    stdin: input,
    env,
    cwd: dir,
    signal: new AbortController().signal,
  });
  return {
    code,
    stdout,
    stderr,
    events: stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogEvent),
  };
}

/** The shared rules fixture (a drop and a hash redaction keyed by PII_KEY). */
const rules = fileURLToPath(
  new URL('../../test/fixtures/rules/drop-health-hash-email.yaml', import.meta.url),
);

const LINES = [
  '{"level":30,"msg":"ok","path":"/health"}',
  '{"level":30,"msg":"ok","path":"/health"}',
  '{"level":30,"msg":"paid by bob@example.com with 4111 1111 1111 1111","path":"/pay"}',
].join('\n');

describe('sluice process --rules', () => {
  it('runs the rules: drops counted by rule name in the summary, redaction applied', async () => {
    const r = await processWith(['--rules', rules], LINES, { PII_KEY: 'k' });
    expect(r.code).toBe(0);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]?.message).toMatch(/^paid by hmac:[0-9a-f]{32} with \[REDACTED:payment_card\]$/);
    expect(r.events[0]?.redaction?.rules).toEqual(['hash-email', 'default/payment-card']);
    expect(r.stderr).toContain('1 events out');
    expect(r.stderr).toContain('2 dropped by rules (drop-health 2)');
  });

  it('without --rules runs the default secret pack (secure by default)', async () => {
    const r = await processWith([], LINES);
    expect(r.events).toHaveLength(3);
    expect(r.stdout).not.toContain('4111 1111 1111 1111');
    expect(r.stdout).toContain('[REDACTED:');
  });

  it('runs no filter at all only with --no-filters (and refuses it together with --rules)', async () => {
    const r = await processWith(['--no-filters'], LINES);
    expect(r.events).toHaveLength(3);
    expect(r.stdout).toContain('4111 1111 1111 1111');
    const both = await processWith(['--no-filters', '--rules', 'x.yaml'], LINES);
    expect(both.code).toBe(2);
  });

  it('exits 2 listing the problems of a bad rules file', async () => {
    writeFileSync(path.join(dir, 'bad.yaml'), 'rules:\n  - name: x\n    kind: dorp\n');
    const r = await processWith(['--rules', 'bad.yaml'], LINES);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml:3:11 rule 'x' at rules[0].kind");
    expect(r.stdout).toBe('');
  });

  it('exits 2 when a hash key is missing from the environment', async () => {
    const r = await processWith(['--rules', rules], LINES, {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the hash key 'PII_KEY' is missing");
  });
});
