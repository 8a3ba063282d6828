import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CommandIo, UsageError } from '../command.js';
import { servicesFromEnv } from './bench.js';

function io(env: NodeJS.ProcessEnv): CommandIo {
  return {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    env,
    cwd: process.cwd(),
    signal: new AbortController().signal,
  };
}

describe('sluice bench services (the shipped command never starts services)', () => {
  it('hands a suite the running node and emulator the environment names', async () => {
    const { services } = servicesFromEnv(
      io({
        SLUICE_BENCH_OPENSEARCH_URL: 'http://127.0.0.1:9999',
        SLUICE_BENCH_MOTO_URL: 'http://127.0.0.1:5999',
      }),
    );
    await expect(services.opensearch()).resolves.toBe('http://127.0.0.1:9999');
    await expect(services.moto()).resolves.toBe('http://127.0.0.1:5999');
  });

  it('fails a suite that needs one with a usage error naming the variable to set and `npm run bench`', async () => {
    const { services } = servicesFromEnv(io({}));
    const err = await services.opensearch().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/SLUICE_BENCH_OPENSEARCH_URL.*npm run bench/);
    await expect(services.moto()).rejects.toThrow(/SLUICE_BENCH_MOTO_URL/);
  });
});
