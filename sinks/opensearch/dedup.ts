import type { Client } from '@opensearch-project/opensearch';

/**
 * `_id` dedup across data-stream rollover. `create` only sees the stream's current write index: an
 * event delivered before a rollover and delivered again after it would be indexed a second time.
 * So before a write, for each target stream that has rolled over, the sink looks the batch's
 * `_id`s up in its earlier backing indices: a realtime multi-get in the previous backing index (it
 * may hold documents not yet refreshed), and an `ids` search over the whole stream for the older
 * ones (they stopped taking writes before the last rollover, so they are refreshed). What is
 * found is reported `duplicate` and not sent. The sink keeps the streams' backing indices between
 * writes; a rollover since is seen in the bulk answer (`_index` of each item), and the documents it
 * created in a new backing index are looked up in the ones before it and deleted again when an
 * earlier copy exists (`rollover.ts`, `repair`).
 */

/** The earlier backing indices of a rolled-over data stream. */
export interface RolledStream {
  /** The backing index written to before the current one. */
  readonly previous: string;
  /** Whether there are backing indices older than `previous`. */
  readonly older: boolean;
  /** The backing indices from the one written to on: never searched (the write index, or later ones). */
  readonly after: readonly string[];
}

/** From `GET _data_stream/<prefix>-*`: each stream's backing indices, oldest first (the write index last). Pure. */
export function backingIndices(body: unknown): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const streams = (body as { data_streams?: unknown } | null)?.data_streams;
  if (!Array.isArray(streams)) return out;
  for (const s of streams as { name?: unknown; indices?: { index_name?: unknown }[] }[]) {
    if (typeof s?.name !== 'string' || !Array.isArray(s.indices)) continue;
    const names = s.indices.map((i) => i?.index_name).filter((n): n is string => typeof n === 'string');
    if (names.length > 0) out.set(s.name, names);
  }
  return out;
}

/** The earlier backing indices of `indices` (oldest first) before `index` (default: the write index). */
export function earlierThan(
  indices: readonly string[],
  index = indices[indices.length - 1],
): RolledStream | undefined {
  const at = index === undefined ? -1 : indices.indexOf(index);
  if (at < 1) return undefined;
  return { previous: indices[at - 1] as string, older: at > 1, after: indices.slice(at) };
}

/** From `GET _data_stream/<prefix>-*`: the streams among `targets` that rolled over. Pure. */
export function rolledStreams(body: unknown, targets: ReadonlySet<string>): Map<string, RolledStream> {
  const out = new Map<string, RolledStream>();
  for (const [name, indices] of backingIndices(body)) {
    const rolled = targets.has(name) ? earlierThan(indices) : undefined;
    if (rolled) out.set(name, rolled);
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

/** The backing indices of every stream under `prefix` (one `GET _data_stream/<prefix>-*`; throws the client's errors). */
export async function dataStreams(client: Client, prefix: string): Promise<Map<string, readonly string[]>> {
  const info = await client.transport.request({
    method: 'GET',
    path: `/_data_stream/${encodeURIComponent(`${prefix}-*`)}`,
    querystring: { filter_path: 'data_streams.name,data_streams.indices.index_name' },
  });
  return backingIndices(info.body);
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
    // The whole stream but the index written to and later ones (which may hold the copy just made).
    const search = await client.transport.request({
      method: 'POST',
      path: `/${encodeURIComponent(stream)}/_search`,
      querystring: { filter_path: 'hits.hits._id', ignore_unavailable: 'true' },
      body: {
        query: {
          bool: { filter: [{ ids: { values: slice } }], must_not: [{ terms: { _index: rolled.after } }] },
        },
        size: slice.length,
        _source: false,
      },
    });
    for (const id of idsInHits(search.body)) found.add(id);
  }
  return found;
}
