import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SERVICE_ERROR } from './errors.js';
import { isMotoHealthy, type MotoServer, startMoto } from './moto.js';
import { isOpenSearchHealthy, type OpenSearchNode, startOpenSearch } from './opensearch.js';

describe('the shared services provided by the global setup', () => {
  it('answers health checks at the injected addresses', async () => {
    expect(await isOpenSearchHealthy(inject('opensearchUrl'))).toBe(true);
    expect(await isMotoHealthy(inject('awsEndpoint'))).toBe(true);
  });
});

describe('startOpenSearch', () => {
  let node: OpenSearchNode;
  beforeAll(async () => {
    node = await startOpenSearch({
      settings: { 'http.max_content_length': '3kb', 'node.attr.sluice_probe': 'yes' },
    });
  });
  afterAll(() => node?.stop());

  it('starts a fresh node that really has the caller settings', async () => {
    const res = await fetch(
      `${node.url}/_nodes/settings?filter_path=nodes.*.settings.http,nodes.*.settings.node.attr`,
    );
    const body = (await res.json()) as {
      nodes: Record<
        string,
        { settings: { http: Record<string, string>; node: { attr: Record<string, string> } } }
      >;
    };
    const [settings] = Object.values(body.nodes).map((n) => n.settings);
    expect(settings?.http['max_content_length']).toBe('3kb');
    expect(settings?.node.attr['sluice_probe']).toBe('yes');
    expect(node.url).not.toBe(inject('opensearchUrl'));
  });

  it('enforces the setting (a 4 KiB body is refused with 413)', async () => {
    const res = await fetch(`${node.url}/probe/_doc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
  });

  it('fails with what to install when Java is missing', async () => {
    await expect(startOpenSearch({ javaHome: '/nonexistent-jdk' })).rejects.toMatchObject({
      code: SERVICE_ERROR.toolMissing,
      message: expect.stringContaining('apt-get install'),
    });
  });
});

describe('startMoto', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });

  it('starts its own server and stops it again', async () => {
    expect(moto.endpoint).not.toBe(inject('awsEndpoint'));
    expect(await isMotoHealthy(moto.endpoint)).toBe(true);
    await moto.stop();
    expect(await isMotoHealthy(moto.endpoint, 1000)).toBe(false);
  });
});
