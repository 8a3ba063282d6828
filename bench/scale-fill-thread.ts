import { parentPort, workerData } from 'node:worker_threads';
import { type FillOptions, fillThreaded } from './scale-data.js';

/**
 * One filler of a parallel `fillStore` (see `fillParallel`): its own time slice, written as
 * `sluice start` writes (`fillThreaded`: the store's own writer thread, its own connection).
 */
const { path, opts } = workerData as { path: string; opts: Omit<FillOptions, 'log'> };
const cpu0 = process.cpuUsage();
const result = await fillThreaded(path, { ...opts, log: (l) => parentPort?.postMessage({ log: l }) });
const cpu = process.cpuUsage(cpu0);
parentPort?.postMessage({ result, cpuMs: (cpu.user + cpu.system) / 1000 });
