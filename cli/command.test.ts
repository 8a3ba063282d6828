import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { runSluice } from '../test/factories/cli.js';
import { parsedOrUsage, UsageError } from './command.js';

describe('UsageError', () => {
  it('is a SluiceError with the stable code CLI_USAGE', () => {
    const err = new UsageError('--port: expected a number');
    expect(err).toBeInstanceOf(SluiceError);
    expect(err.code).toBe('CLI_USAGE');
    expect(err.name).toBe('UsageError');
  });

  it('parsedOrUsage turns what the parser throws into a UsageError, keeping its message', () => {
    expect(() =>
      parsedOrUsage(() => {
        throw new TypeError("Unknown option '--nope'");
      }),
    ).toThrow(new UsageError("Unknown option '--nope'"));
  });
});

describe('sluice --version', () => {
  it("prints package.json's version", async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const r = await runSluice(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`sluice ${pkg.version}\n`);
  });
});
