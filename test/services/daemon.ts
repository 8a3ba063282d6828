import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isMotoHealthy, MOTO_MARKER, startMoto } from './moto.js';
import { isOpenSearchHealthy, OPENSEARCH_MAIN_CLASS, startOpenSearch } from './opensearch.js';
import { commandLine, isAlive, stopPid } from './process.js';
import { cacheDir } from './tools.js';

/** The default local addresses (shared by the test suite's global setup). */
export const DEFAULT_PORTS = { opensearch: 9201, moto: 5000 } as const;

/** What `npm run services:up` recorded for one service it started. */
interface Recorded {
  pid: number;
  url: string;
}
interface State {
  opensearch?: Recorded;
  moto?: Recorded;
}
/** The two services managed by `npm run services:up|down|status` (dev/services.ts). */
export type ServiceName = keyof State;

const MARKERS: Record<ServiceName, string> = { opensearch: OPENSEARCH_MAIN_CLASS, moto: MOTO_MARKER };
const servicesDir = (): string => path.join(cacheDir(), 'services');
const stateFile = (): string => path.join(servicesDir(), 'state.json');

async function readState(): Promise<State> {
  try {
    return JSON.parse(await readFile(stateFile(), 'utf8')) as State;
  } catch {
    return {};
  }
}

async function writeState(state: State): Promise<void> {
  await mkdir(servicesDir(), { recursive: true });
  await writeFile(stateFile(), `${JSON.stringify(state, null, 2)}\n`);
}

/** True when `rec` is a live process that we started (the pid was not reused by something else). */
function ours(name: ServiceName, rec: Recorded | undefined): boolean {
  return rec !== undefined && isAlive(rec.pid) && (commandLine(rec.pid)?.includes(MARKERS[name]) ?? false);
}

const healthy = (name: ServiceName, url: string): Promise<boolean> =>
  name === 'opensearch' ? isOpenSearchHealthy(url) : isMotoHealthy(url);

/** One line of the report of `up`/`down`/`status`. */
export interface ServiceLine {
  readonly name: ServiceName;
  readonly url: string;
  readonly healthy: boolean;
  readonly note: string;
}

/**
 * Starts OpenSearch and moto detached (installing them on first use) unless something healthy
 * already answers on their ports, and records the pids it started in the cache dir.
 */
export async function servicesUp(
  ports: { opensearch?: number; moto?: number } = {},
  log: (line: string) => void = () => {},
): Promise<ServiceLine[]> {
  const state = await readState();
  const out: ServiceLine[] = [];
  for (const name of ['opensearch', 'moto'] as const) {
    const port = ports[name] ?? DEFAULT_PORTS[name];
    const url = `http://127.0.0.1:${port}`;
    const rec = state[name];
    if (rec && ours(name, rec) && (await healthy(name, rec.url))) {
      out.push({ name, url: rec.url, healthy: true, note: `already running (pid ${rec.pid})` });
      continue;
    }
    if (await healthy(name, url)) {
      out.push({ name, url, healthy: true, note: 'already running, not started by sluice (left alone)' });
      continue;
    }
    log(`starting ${name} on port ${port} …`);
    if (name === 'opensearch') {
      const node = await startOpenSearch({
        port,
        heapMb: 1024,
        detached: true,
        basePath: path.join(servicesDir(), 'opensearch'),
      });
      state.opensearch = { pid: node.pid, url: node.url };
      out.push({
        name,
        url: node.url,
        healthy: true,
        note: `started (pid ${node.pid}, log ${node.logFile})`,
      });
    } else {
      await mkdir(servicesDir(), { recursive: true });
      const moto = await startMoto({ port, detached: true, logFile: path.join(servicesDir(), 'moto.log') });
      state.moto = { pid: moto.pid, url: moto.endpoint };
      out.push({
        name,
        url: moto.endpoint,
        healthy: true,
        note: `started (pid ${moto.pid}, log ${moto.logFile})`,
      });
    }
    await writeState(state);
  }
  return out;
}

/** Stops what `servicesUp` started (only pids it recorded and that still look like ours). */
export async function servicesDown(): Promise<ServiceLine[]> {
  const state = await readState();
  const out: ServiceLine[] = [];
  for (const name of ['opensearch', 'moto'] as const) {
    const rec = state[name];
    if (!rec) {
      out.push({
        name,
        url: '',
        healthy: false,
        note: 'not started by npm run services:up; nothing to stop',
      });
      continue;
    }
    if (ours(name, rec)) {
      await stopPid(rec.pid);
      out.push({ name, url: rec.url, healthy: false, note: `stopped (pid ${rec.pid})` });
    } else {
      out.push({ name, url: rec.url, healthy: false, note: `pid ${rec.pid} was already gone` });
    }
    delete state[name];
  }
  if (state.opensearch || state.moto) await writeState(state);
  else await rm(stateFile(), { force: true });
  return out;
}

/** Health of each service: the one `up` recorded, else the default port. */
export async function servicesStatus(): Promise<ServiceLine[]> {
  const state = await readState();
  const out: ServiceLine[] = [];
  for (const name of ['opensearch', 'moto'] as const) {
    const rec = state[name];
    const url = rec?.url ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}`;
    const ok = await healthy(name, url);
    const who = rec && ours(name, rec) ? `started by sluice (pid ${rec.pid})` : 'not started by sluice';
    out.push({ name, url, healthy: ok, note: ok ? `healthy, ${who}` : 'not answering' });
  }
  return out;
}
