import { afterAll, describe, expect, inject, it } from 'vitest';
import { createOpenSearchSearch } from '../../search/opensearch.js';
import { parseQuery } from '../../search/query.js';
import { uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, osJson } from '../../test/factories/opensearch.js';
import { createOpenSearchClient } from './client.js';
import { parseSinkConfig } from './config.js';
import { setupOpenSearch } from './setup.js';
import { mappingsComponent, setupNames } from './template.js';

// Against the shared real node, under a unique prefix that is removed afterwards.
const node = inject('opensearchUrl');
const prefix = `sluice-logs-${uniqueSegment('setup')}`;
const stream = `${prefix}-old`;
const client = createOpenSearchClient({ node });
const cfg = parseSinkConfig({ index_prefix: prefix, replicas: 0 });

afterAll(async () => {
  await dropPrefix(node, prefix);
  await client.close();
});

type DataStreams = { data_streams: { name: string; indices: { index_name: string }[] }[] };
const backing = async (): Promise<string[]> =>
  (await osJson<DataStreams>(`${node}/_data_stream/${stream}`)).data_streams[0]!.indices.map(
    (i) => i.index_name,
  );
const hasAnalyzer = async (index: string): Promise<boolean> => {
  const s = await osJson<Record<string, { settings: { index: { analysis?: { analyzer?: object } } } }>>(
    `${node}/${index}/_settings`,
  );
  return Object.hasOwn(s[index]!.settings.index.analysis?.analyzer ?? {}, 'sluice_text');
};
const add = (id: string, message: string) =>
  osJson(`${node}/${stream}/_create/${id}?refresh=true`, 'PUT', {
    '@timestamp': new Date().toISOString(),
    message,
    log: { level: 'info', format: 'text' },
    service: { name: 'setup-test' },
    event: { id, ingested: new Date().toISOString() },
    attributes: {},
  });

describe('OpenSearch setup and the sluice_text analyzer', () => {
  it('rolls over a stream whose write index predates the analyzer, once, and searches both indices', async () => {
    // A stream as an older Sluice made it: its mappings without the analyzer (the standard one).
    await setupOpenSearch(client, cfg);
    const old = JSON.parse(JSON.stringify(mappingsComponent()).replaceAll(',"analyzer":"sluice_text"', ''));
    delete old.template.settings;
    await osJson(`${node}/_component_template/${setupNames(prefix).mappings}`, 'PUT', old);
    await add('old-1', 'Café ouvert (old index)');
    const [first] = await backing();
    expect(await hasAnalyzer(first!)).toBe(false);

    const report = await setupOpenSearch(client, cfg);
    expect(report.rolledOver).toEqual([stream]);
    expect(report.notices.join('\n')).toMatch(new RegExp(`data stream ${stream}: .* rolled over`));
    const indices = await backing();
    expect(indices).toHaveLength(2);
    expect(await hasAnalyzer(indices[1]!)).toBe(true);

    // Up to date now: a second setup leaves the stream alone.
    expect((await setupOpenSearch(client, cfg)).rolledOver).toEqual([]);
    expect(await backing()).toHaveLength(2);

    // New events are analysed at once (accents folded); the old index keeps the standard analyzer:
    // searching over both works, and its tokens are matched as they were indexed there.
    await add('new-1', 'Café ouvert (new index)');
    const search = createOpenSearchSearch({ client, indexPattern: `${prefix}-*` });
    const ids = async (q: string): Promise<string[]> =>
      (await search.page({ query: parseQuery(q), limit: 10 })).events.map((e) => e.event.id).sort();
    expect(await ids('cafe')).toEqual(['new-1']);
    expect(await ids('ouvert')).toEqual(['new-1', 'old-1']);
  });

  it('leaves a stream of another template alone', async () => {
    const other = `${prefix}-x`;
    const otherCfg = parseSinkConfig({ index_prefix: other, replicas: 0 });
    expect((await setupOpenSearch(client, otherCfg)).rolledOver).toEqual([]);
    // an outdated stream of the longer prefix's template (which matches `<prefix>-*` too)
    const old = JSON.parse(JSON.stringify(mappingsComponent()).replaceAll(',"analyzer":"sluice_text"', ''));
    delete old.template.settings;
    await osJson(`${node}/_component_template/${setupNames(other).mappings}`, 'PUT', old);
    await osJson(`${node}/${other}-s/_create/o1?refresh=true`, 'PUT', {
      '@timestamp': new Date().toISOString(),
      message: 'x',
      log: { level: 'info', format: 'text' },
      service: { name: 'setup-test' },
      event: { id: 'o1', ingested: new Date().toISOString() },
      attributes: {},
    });
    const before = await osJson<DataStreams>(`${node}/_data_stream/${other}-s`);
    expect((await setupOpenSearch(client, cfg)).rolledOver).toEqual([]);
    expect((await osJson<DataStreams>(`${node}/_data_stream/${other}-s`)).data_streams[0]!.indices).toEqual(
      before.data_streams[0]!.indices,
    );
    // its own template's setup does roll it over
    expect((await setupOpenSearch(client, otherCfg)).rolledOver).toEqual([`${other}-s`]);
    await dropPrefix(node, other);
  });
});
