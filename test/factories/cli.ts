import { PassThrough } from 'node:stream';
import { main } from '../../cli/main.js';

/**
 * Runs the `sluice` command line in this process (the same `main` as `bin/sluice.js`) and
 * collects what it wrote. `env` replaces the environment (nothing of the test process leaks in).
 */
export async function runSluice(
  argv: readonly string[],
  o: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => {
    stdout += String(c);
  });
  err.on('data', (c) => {
    stderr += String(c);
  });
  const input = new PassThrough();
  input.end(o.stdin ?? '');
  const code = await main([...argv], {
    stdout: out,
    stderr: err,
    stdin: input,
    env: o.env ?? {},
    cwd: o.cwd ?? process.cwd(),
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
