import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_ERROR, ServiceError } from './errors.js';

/** The per-user cache of jars, venvs and service state: `${XDG_CACHE_HOME:-~/.cache}/sluice`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.length > 0
      ? env.XDG_CACHE_HOME
      : path.join(os.homedir(), '.cache');
  return path.join(base, 'sluice');
}

/** Result of running a program to completion. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `cmd args` to completion and collects its output. A missing executable (ENOENT) becomes
 * a {@link ServiceError} naming the Debian package to install (`installHint`).
 */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { installHint: string; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(missingTool(cmd, opts.installHint));
      else reject(err);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The error for a program that is not on PATH. */
function missingTool(cmd: string, installHint: string): ServiceError {
  return new ServiceError(
    SERVICE_ERROR.toolMissing,
    `'${cmd}' was not found on PATH; the integration tests need it. Install it, e.g. ${installHint}.`,
  );
}

/** Checks that `cmd` runs at all (e.g. `java -version`), else throws {@link ServiceError}. */
export async function requireTool(
  cmd: string,
  versionArgs: readonly string[],
  installHint: string,
): Promise<string> {
  const res = await run(cmd, versionArgs, { installHint });
  if (res.code !== 0) {
    throw new ServiceError(
      SERVICE_ERROR.toolMissing,
      `'${cmd} ${versionArgs.join(' ')}' failed (exit ${res.code}); install a working one, e.g. ${installHint}.`,
    );
  }
  return `${res.stdout}${res.stderr}`;
}

/** The last `n` characters of a text, for error messages that point at a service's own log. */
export function tail(text: string, n = 2000): string {
  return text.length <= n ? text : `…${text.slice(-n)}`;
}
