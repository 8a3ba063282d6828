import { createFileDeadLetterStore, type DeadLetter } from '../../sinks/dead-letters/index.js';

/** JSON of `GET/POST url` (throws on a non-2xx answer). */
export async function osJson<T = unknown>(url: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Refreshes `<prefix>-*` and returns the `_source` of every hit matching `query` (default all). */
export async function searchAll(
  node: string,
  prefix: string,
  query: Record<string, unknown> = { match_all: {} },
): Promise<{ id: string; source: Record<string, unknown> }[]> {
  await osJson(`${node}/${prefix}-*/_refresh`, 'POST');
  const body = await osJson<{ hits: { hits: { _id: string; _source: Record<string, unknown> }[] } }>(
    `${node}/${prefix}-*/_search`,
    'POST',
    { query, size: 10_000 },
  );
  return body.hits.hits.map((h) => ({ id: h._id, source: h._source }));
}

/** Deletes the data streams and templates a test created under `prefix` (never anything else). */
export async function dropPrefix(node: string, prefix: string): Promise<void> {
  await fetch(`${node}/_data_stream/${prefix}-*`, { method: 'DELETE' });
  await fetch(`${node}/_index_template/${prefix}-template`, { method: 'DELETE' });
  for (const c of ['mappings', 'settings'])
    await fetch(`${node}/_component_template/${prefix}-${c}`, { method: 'DELETE' });
}

/** Every letter in an NDJSON dead-letter file. */
export async function lettersIn(file: string): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const { letter } of createFileDeadLetterStore(file).read()) out.push(letter);
  return out;
}
