import type { Client } from '@opensearch-project/opensearch';

/**
 * `_id` dedup across data-stream rollover. `create` only sees the stream's current write index: an
 * event delivered before a rollover and delivered again after it would be indexed a second time.
 * So before a write, for each target stream that has rolled over, the sink looks the batch's
 * `_id`s up in its earlier backing indices: a realtime multi-get in the previous backing index (it
 * may hold documents not yet refreshed), and an `ids` search over the whole stream for the older
 * ones (they stopped taking writes before the last rollover, so they are refreshed). What is
 * found is reported `duplicate` and not sent.
 */

/** The earlier backing indices of a rolled-over data stream. */
export interface RolledStream {
  /** The backing index written to before the current one. */
  readonly previous: string;
  /** Whether there are backing indices older than `previous`. */
  readonly older: boolean;
}

/** From `GET _data_stream/<prefix>-*`: the streams among `targets` that rolled over. Pure. */
export function rolledStreams(body: unknown, targets: ReadonlySet<string>): Map<string, RolledStream> {
  const out = new Map<string, RolledStream>();
  const streams = (body as { data_streams?: unknown } | null)?.data_streams;
  if (!Array.isArray(streams)) return out;
  for (const s of streams as { name?: unknown; indices?: { index_name?: unknown }[] }[]) {
    if (typeof s?.name !== 'string' || !targets.has(s.name) || !Array.isArray(s.indices)) continue;
    const names = s.indices.map((i) => i?.index_name).filter((n): n is string => typeof n === 'string');
    if (names.length < 2) continue; // the write index is the last one
    out.set(s.name, { previous: names[names.length - 2] as string, older: names.length > 2 });
  }
  return out;
}

/** The `_id`s a `_mget` answer found (`filter_path=docs._id,docs.found`). Pure. */
export function foundInMget(body: unknown): string[] {
  const docs = (body as { docs?: { _id?: unknown; found?: unknown }[] } | null)?.docs ?? [];
  return docs.filter((d) => d?.found === true && typeof d._id === 'string').map((d) => d._id as string);
}

/** The `_id`s of a search answer (`filter_path=hits.hits._id`). Pure. */
export function idsInHits(body: unknown): string[] {
  const hits = (body as { hits?: { hits?: { _id?: unknown }[] } } | null)?.hits?.hits ?? [];
  return hits.map((h) => h?._id).filter((id): id is string => typeof id === 'string');
}

/** A search answers at most `index.max_result_window` (10,000) hits: ids are looked up in slices. */
const IDS_PER_LOOKUP = 5_000;

/** The target streams that rolled over (one `GET _data_stream/<prefix>-*`; throws the client's errors). */
export async function rolledOver(
  client: Client,
  prefix: string,
  targets: ReadonlySet<string>,
): Promise<Map<string, RolledStream>> {
  const info = await client.transport.request({
    method: 'GET',
    path: `/_data_stream/${encodeURIComponent(`${prefix}-*`)}`,
    querystring: { filter_path: 'data_streams.name,data_streams.indices.index_name' },
  });
  return rolledStreams(info.body, targets);
}

/**
 * Which of `ids` already exist in an earlier backing index of `stream` (throws the client's errors:
 * the caller retries or hands the batch back).
 */
export async function findInEarlierIndices(
  client: Client,
  stream: string,
  rolled: RolledStream,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
    const slice = ids.slice(i, i + IDS_PER_LOOKUP);
    const mget = await client.transport.request({
      method: 'POST',
      path: '/_mget',
      querystring: { realtime: 'true', _source: 'false', filter_path: 'docs._id,docs.found' },
      body: { docs: slice.map((id) => ({ _index: rolled.previous, _id: id })) },
    });
    for (const id of foundInMget(mget.body)) found.add(id);
    if (!rolled.older) continue;
    const search = await client.transport.request({
      method: 'POST',
      path: `/${encodeURIComponent(stream)}/_search`,
      querystring: { filter_path: 'hits.hits._id', ignore_unavailable: 'true' },
      body: { query: { ids: { values: slice } }, size: slice.length, _source: false },
    });
    for (const id of idsInHits(search.body)) found.add(id);
  }
  return found;
}
