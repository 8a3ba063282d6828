import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_ERROR, ServiceError } from './errors.js';
import { freePort, spawnService, stopChild, stopPid, waitUntil } from './process.js';
import { ensurePythonVenv } from './python-venv.js';
import { cacheDir, tail } from './tools.js';

/** Marker in the command line of every moto server the harness starts. */
export const MOTO_MARKER = 'moto_server';

/** Options of {@link startMoto}. */
export interface StartMotoOptions {
  /** Port; a free one when omitted. */
  port?: number;
  /** Let this process exit while it runs (`npm run services:up`). */
  detached?: boolean;
  /** Where its log goes; default a temp dir removed on stop. */
  logFile?: string;
  /** How long to wait for it to answer (default 60 s). */
  startTimeoutMs?: number;
}

/** A running moto server started by {@link startMoto}. */
export interface MotoServer {
  /** e.g. `http://127.0.0.1:5000`: the `endpoint` of every AWS SDK client (region us-east-1, any keys). */
  readonly endpoint: string;
  readonly pid: number;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after ~30 s. Idempotent. */
  stop(): Promise<void>;
}

/** True when a moto server answers at `endpoint`. */
export async function isMotoHealthy(endpoint: string, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Makes sure `moto[server]` is installed in the venv `<cache>/moto` (created with
 * `python3 -m venv` and pip on first use). Returns the path of `moto_server`.
 */
export async function ensureMotoInstalled(): Promise<string> {
  const venv = path.join(cacheDir(), 'moto');
  const server = path.join(venv, 'bin', 'moto_server');
  await ensurePythonVenv(venv, ['moto[server]'], [server]);
  return server;
}

/** Starts a moto server (installed on first use) and waits until it answers. */
export async function startMoto(opts: StartMotoOptions = {}): Promise<MotoServer> {
  const server = await ensureMotoInstalled();
  const port = opts.port ?? (await freePort());
  const tempDir = opts.logFile ? undefined : await mkdtemp(path.join(os.tmpdir(), `sluice-moto-${port}-`));
  const logFile = opts.logFile ?? path.join(tempDir ?? '', 'moto.log');
  const child: ChildProcess = spawnService(server, ['-H', '127.0.0.1', '-p', String(port)], {
    logFile,
    detached: opts.detached ?? false,
  });
  const pid = child.pid;
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (opts.detached) await stopPid(pid ?? -1);
      else await stopChild(child);
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  let spawnError: string | undefined;
  child.once('error', (err) => {
    spawnError = err.message;
  });
  const ready = await waitUntil(() => isMotoHealthy(endpoint), {
    timeoutMs: opts.startTimeoutMs ?? 60_000,
    intervalMs: 200,
    abort: () =>
      spawnError ??
      (child.exitCode !== null || child.signalCode !== null
        ? `moto exited (${child.exitCode ?? child.signalCode})`
        : undefined),
  });
  if (!ready.ok || pid === undefined) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await stop();
    throw new ServiceError(
      SERVICE_ERROR.startFailed,
      `moto server on port ${port} did not answer: ${ready.ok ? 'no pid' : ready.reason}. Log: ${tail(log)}`,
    );
  }
  return { endpoint, pid, logFile, stop };
}
