import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/sluice.js');

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

/** The AWS emulator resources a `sluice run` of a test reads and writes (a `World` of `kit.ts` fits). */
export interface RunWorld {
  /** The AWS endpoint (moto, or a proxy in front of it). */
  readonly endpoint: string;
  /** The raw and events Kinesis streams. */
  readonly raw: { readonly name: string };
  readonly events: { readonly name: string };
}

/** Where a `sluice run` of a test writes and keeps its files. */
export interface RunOptions {
  readonly opensearch: string;
  readonly indexPrefix: string;
  /** Its checkpoint, dead letters (`dlq.ndjson`) and failures (`failures.ndjson`) are here. */
  readonly dir: string;
  readonly batchSize: number;
}

/** A running `sluice run` of a test. */
export interface SpawnedRun {
  readonly child: ChildProcess;
  /** Its exit code once it exits (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** What it wrote to stderr so far (its log). */
  stderr(): string;
}

/**
 * `sluice run` over `world`'s streams as its own process from the repository's root, with
 * AWS_REGION us-east-1, polling every 100 ms.
 */
export function spawnRun(world: RunWorld, o: RunOptions): SpawnedRun {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'run',
      ...['--raw-stream', world.raw.name, '--events-stream', world.events.name],
      ...['--opensearch', o.opensearch, '--index-prefix', o.indexPrefix, '--endpoint', world.endpoint],
      ...['--checkpoint', join(o.dir, 'checkpoint.json'), '--dead-letters', join(o.dir, 'dlq.ndjson')],
      ...['--on-failure', join(o.dir, 'failures.ndjson'), '--batch-size', String(o.batchSize)],
      ...['--poll-interval-ms', '100'],
    ],
    { cwd: ROOT, env: { ...process.env, AWS_REGION: 'us-east-1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}
