import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './command.js';
import { openSearchClientFromFlags } from './opensearch-flags.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-flags-'));
  await writeFile(path.join(dir, 'not-pem.txt'), 'hello');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openSearchClientFromFlags: TLS and basic authentication', () => {
  const io = (env: Record<string, string> = {}) => ({ env, cwd: dir });

  it.each([
    [{ 'ca-cert': 'missing.pem' }, {}, /--ca-cert: cannot read 'missing.pem' \(ENOENT\)/],
    [{ 'ca-cert': 'not-pem.txt' }, {}, /--ca-cert: 'not-pem.txt' holds no PEM certificate/],
    [
      {},
      { SLUICE_OPENSEARCH_USERNAME: 'sink' },
      /set both SLUICE_OPENSEARCH_USERNAME and SLUICE_OPENSEARCH_PASSWORD/,
    ],
    [{}, { SLUICE_OPENSEARCH_PASSWORD: 'x' }, /set both/],
    [
      { node: 'https://search-x.us-east-1.es.amazonaws.com' },
      { SLUICE_OPENSEARCH_USERNAME: 'u', SLUICE_OPENSEARCH_PASSWORD: 'p', AWS_REGION: 'us-east-1' },
      /exclude each other/,
    ],
  ])('%j with %j is a usage error', (flags, env, message) => {
    const attempt = () => openSearchClientFromFlags(flags, io(env));
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it('never puts the password in an error message', () => {
    const attempt = () =>
      openSearchClientFromFlags(
        { 'ca-cert': 'missing.pem' },
        io({ SLUICE_OPENSEARCH_USERNAME: 'u', SLUICE_OPENSEARCH_PASSWORD: 'hunter2-secret' }),
      );
    expect(attempt).toThrow(/--ca-cert/);
    try {
      attempt();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2-secret');
    }
  });
});
