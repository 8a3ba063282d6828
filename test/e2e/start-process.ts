import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

/** `sluice start ARGS` as its own process (stderr piped: the command prints its URL there). */
export function spawnStart(args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'start', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The trace explorer's URL once `child` prints it; rejects (with its stderr) when it exits or is too slow. */
export function explorerUrl(child: ChildProcess, timeoutMs = 60_000): Promise<string> {
  let err = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice start did not come up: ${err}`)), timeoutMs);
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /open the trace explorer: (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sluice start exited ${code}: ${err}`));
    });
  });
}

/** SIGTERM, and waits for the exit (nothing to do when it has already exited). */
export async function stopStart(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
