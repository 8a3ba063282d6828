// Development only: `npm run bench` runs this file (tsx dev/bench.ts). It is `sluice bench` with
// services the run starts itself: the first suite that asks for OpenSearch or moto starts one
// (test/services), every later suite gets the same one, and both stop when the run ends. A running
// one named by SLUICE_BENCH_OPENSEARCH_URL / SLUICE_BENCH_MOTO_URL is used instead.

import { type BenchServicesFactory, createBenchCommand } from '../cli/commands/bench.js';
import { runCommand } from '../cli/main.js';
import { startMoto } from '../test/services/moto.js';
import { startOpenSearch } from '../test/services/opensearch.js';

/** Starts a service on first use and remembers it; `stop` is called once at the end of the run. */
function once(start: () => Promise<{ url: string; stop(): Promise<void> }>) {
  let started: Promise<{ url: string; stop(): Promise<void> }> | undefined;
  return {
    get: async (): Promise<string> => {
      started ??= start();
      return (await started).url;
    },
    stop: async (): Promise<void> => {
      if (started) await (await started).stop();
    },
  };
}

const startingServices: BenchServicesFactory = (io) => {
  const log = (line: string): boolean => io.stderr.write(`${line}\n`);
  const opensearch = once(async () => {
    const external = io.env.SLUICE_BENCH_OPENSEARCH_URL;
    if (external) return { url: external, stop: async () => {} };
    log('bench: starting an OpenSearch node for the run …');
    const node = await startOpenSearch({ heapMb: 1024 });
    return { url: node.url, stop: () => node.stop() };
  });
  const moto = once(async () => {
    const external = io.env.SLUICE_BENCH_MOTO_URL;
    if (external) return { url: external, stop: async () => {} };
    log('bench: starting moto for the run …');
    const server = await startMoto();
    return { url: server.endpoint, stop: () => server.stop() };
  });
  return {
    services: { opensearch: opensearch.get, moto: moto.get },
    close: async () => {
      await Promise.all([opensearch.stop(), moto.stop()]);
    },
  };
};

process.exitCode = await runCommand(createBenchCommand(startingServices), process.argv.slice(2));
