import { DEFAULT_PORTS } from '../services/daemon.js';
import { isMotoHealthy, startMoto } from '../services/moto.js';
import { isOpenSearchHealthy, startOpenSearch } from '../services/opensearch.js';

/** An OpenSearch node and a moto server for a suite, and how to let go of them. */
export interface BenchServices {
  readonly opensearchUrl: string;
  readonly awsEndpoint: string;
  /** Stops what this call started (nothing when both were already running). */
  stop(): Promise<void>;
}

/**
 * The services a suite runs against: `SLUICE_BENCH_OPENSEARCH_URL` / `SLUICE_BENCH_AWS_ENDPOINT`
 * when set, else the shared ones on 127.0.0.1:9201 and :5000 when healthy (as the integration
 * tests reuse them), else a node and a moto server of its own. Suites use unique index prefixes
 * and stream names and remove what they created.
 */
export async function benchServices(log: (line: string) => void): Promise<BenchServices> {
  const stops: (() => Promise<void>)[] = [];
  let opensearchUrl =
    process.env.SLUICE_BENCH_OPENSEARCH_URL ?? `http://127.0.0.1:${DEFAULT_PORTS.opensearch}`;
  if (!(await isOpenSearchHealthy(opensearchUrl))) {
    log(`no healthy OpenSearch at ${opensearchUrl}; starting a node …`);
    const node = await startOpenSearch({ heapMb: 1024 });
    stops.push(node.stop);
    opensearchUrl = node.url;
  }
  let awsEndpoint = process.env.SLUICE_BENCH_AWS_ENDPOINT ?? `http://127.0.0.1:${DEFAULT_PORTS.moto}`;
  if (!(await isMotoHealthy(awsEndpoint))) {
    log(`no healthy moto at ${awsEndpoint}; starting one …`);
    const moto = await startMoto();
    stops.push(moto.stop);
    awsEndpoint = moto.endpoint;
  }
  return {
    opensearchUrl,
    awsEndpoint,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
