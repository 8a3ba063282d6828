import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { type FillOptions, fillStore } from './scale-data.js';

/** One filler of a parallel `fillStore` (see `fillParallel`): its own connection, its own time slice. */
const { path, opts } = workerData as { path: string; opts: Omit<FillOptions, 'log'> };
const store = openSqliteStore({ path });
const cpu0 = process.cpuUsage();
const result = await fillStore(store, { ...opts, log: (l) => parentPort?.postMessage({ log: l }) });
await store.close();
const cpu = process.cpuUsage(cpu0);
parentPort?.postMessage({ result, cpuMs: (cpu.user + cpu.system) / 1000 });
