import type { TestProject } from 'vitest/node';
import { DEFAULT_PORTS } from './daemon.js';
import { isMotoHealthy, startMoto } from './moto.js';
import { isOpenSearchHealthy, startOpenSearch } from './opensearch.js';
import { portInUse, waitUntil } from './process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of a healthy OpenSearch node shared by the integration tests (no ISM plugin). */
    opensearchUrl: string;
    /** Endpoint of a moto server (AWS emulator; region us-east-1, any static credentials). */
    awsEndpoint: string;
  }
}

/**
 * Reuses the service at `url` when it is healthy (waiting a while when its port is taken but it
 * is still booting); otherwise returns undefined so the caller starts its own.
 */
async function reusable(
  url: string,
  port: number,
  check: (url: string) => Promise<boolean>,
): Promise<boolean> {
  if (await check(url)) return true;
  if (!(await portInUse(port))) return false;
  const res = await waitUntil(() => check(url), { timeoutMs: 120_000, intervalMs: 1000 });
  return res.ok;
}

/**
 * Global setup of the vitest `integration` project: reuses OpenSearch on 127.0.0.1:9201 and moto
 * on :5000 when they are up (`npm run services:up`, or a shared machine), else starts them (on
 * those ports when free, else on free ones) and stops only what it started. Installation happens
 * on first use; a missing Java/Maven/Python fails the run with what to install.
 * `SLUICE_TEST_OPENSEARCH_URL` / `SLUICE_TEST_AWS_ENDPOINT` point the suite elsewhere.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  const teardown = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const osUrl = process.env.SLUICE_TEST_OPENSEARCH_URL ?? `http://127.0.0.1:${DEFAULT_PORTS.opensearch}`;
    let opensearchUrl = osUrl;
    if (!(await reusable(osUrl, DEFAULT_PORTS.opensearch, isOpenSearchHealthy))) {
      if (process.env.SLUICE_TEST_OPENSEARCH_URL)
        throw new Error(`SLUICE_TEST_OPENSEARCH_URL=${osUrl} is not healthy`);
      const free = !(await portInUse(DEFAULT_PORTS.opensearch));
      const node = await startOpenSearch({ port: free ? DEFAULT_PORTS.opensearch : undefined, heapMb: 1024 });
      stops.push(node.stop);
      opensearchUrl = node.url;
    }
    const motoUrl = process.env.SLUICE_TEST_AWS_ENDPOINT ?? `http://127.0.0.1:${DEFAULT_PORTS.moto}`;
    let awsEndpoint = motoUrl;
    if (!(await reusable(motoUrl, DEFAULT_PORTS.moto, isMotoHealthy))) {
      if (process.env.SLUICE_TEST_AWS_ENDPOINT)
        throw new Error(`SLUICE_TEST_AWS_ENDPOINT=${motoUrl} is not healthy`);
      const free = !(await portInUse(DEFAULT_PORTS.moto));
      const moto = await startMoto({ port: free ? DEFAULT_PORTS.moto : undefined });
      stops.push(moto.stop);
      awsEndpoint = moto.endpoint;
    }
    project.provide('opensearchUrl', opensearchUrl);
    project.provide('awsEndpoint', awsEndpoint);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
