import type { TransactionServiceRow } from './service-map.js';

/** One search request over the backend's indices (the answer's body; throws `SearchBackendError`). */
export type SearchCall = (body: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * The service map's rows from OpenSearch: per transaction and service, the first and last event, the
 * event and error counts (terms aggregations over `transaction.id` and `service.name`, newest
 * transactions first), plus the linked error lines of {@link linkedErrorRows}.
 */
export async function transactionServices(
  call: SearchCall,
  req: { from: number; to: number; maxTransactions: number },
): Promise<{ rows: TransactionServiceRow[]; sampled: boolean }> {
  const r = await call({
    size: 0,
    query: {
      bool: {
        filter: [
          { range: { '@timestamp': { gte: req.from, lt: req.to, format: 'epoch_millis' } } },
          { exists: { field: 'transaction.id' } },
        ],
      },
    },
    aggs: {
      count: { cardinality: { field: 'transaction.id' } },
      tx: {
        terms: { field: 'transaction.id', size: req.maxTransactions, order: { newest: 'desc' } },
        aggs: {
          newest: { max: { field: '@timestamp' } },
          service: {
            terms: { field: 'service.name', size: 50 },
            aggs: {
              first: { min: { field: '@timestamp' } },
              last: { max: { field: '@timestamp' } },
              errors: { filter: { terms: { 'log.level': ['error', 'fatal'] } } },
            },
          },
        },
      },
    },
  });
  type Svc = {
    key: string;
    doc_count: number;
    first: { value: number };
    last: { value: number };
    errors: { doc_count: number };
  };
  const aggs = r.aggregations as
    | { count?: { value?: number }; tx?: { buckets?: { key: string; service: { buckets: Svc[] } }[] } }
    | undefined;
  const rows: TransactionServiceRow[] = [];
  for (const t of aggs?.tx?.buckets ?? [])
    for (const s of t.service.buckets)
      rows.push({
        transactionId: t.key,
        service: s.key,
        first: s.first.value,
        last: s.last.value,
        events: s.doc_count,
        errors: s.errors.doc_count,
      });
  rows.push(
    ...(await linkedErrorRows(
      call,
      (aggs?.tx?.buckets ?? []).map((t) => t.key),
    )),
  );
  return { rows, sampled: (aggs?.count?.value ?? 0) > (aggs?.tx?.buckets?.length ?? 0) };
}

/**
 * The error lines without a transaction id that share a Lambda request id with one of these
 * transactions (`Task timed out`, runtime errors, a failed REPORT), as one row per transaction
 * and service: two reads, the transactions' request ids, then those request ids' error lines.
 */
export async function linkedErrorRows(
  call: SearchCall,
  transactionIds: readonly string[],
): Promise<TransactionServiceRow[]> {
  if (transactionIds.length === 0) return [];
  const ids = await call({
    size: 0,
    query: { bool: { filter: [{ terms: { 'transaction.id': transactionIds } }] } },
    aggs: {
      request: {
        terms: { field: 'faas.execution', size: 10_000 },
        aggs: { tx: { terms: { field: 'transaction.id', size: 2, order: { _key: 'asc' } } } },
      },
    },
  });
  type Keyed = { key: string };
  type ReqBucket = Keyed & { tx?: { buckets?: Keyed[] } };
  const txOf = new Map<string, string[]>();
  const requestBuckets = (ids.aggregations as { request?: { buckets?: ReqBucket[] } } | undefined)?.request
    ?.buckets;
  for (const b of requestBuckets ?? [])
    txOf.set(
      b.key,
      (b.tx?.buckets ?? []).map((t) => t.key),
    );
  if (txOf.size === 0) return [];
  const r = await call({
    size: 0,
    query: {
      bool: {
        filter: [
          { terms: { 'faas.execution': [...txOf.keys()] } },
          { terms: { 'log.level': ['error', 'fatal'] } },
        ],
        must_not: [{ exists: { field: 'transaction.id' } }],
      },
    },
    aggs: {
      request: {
        terms: { field: 'faas.execution', size: txOf.size },
        aggs: {
          service: {
            terms: { field: 'service.name', size: 10 },
            aggs: { first: { min: { field: '@timestamp' } }, last: { max: { field: '@timestamp' } } },
          },
        },
      },
    },
  });
  type Svc = Keyed & { doc_count: number; first: { value: number }; last: { value: number } };
  const buckets = (
    r.aggregations as { request?: { buckets?: (Keyed & { service: { buckets: Svc[] } })[] } } | undefined
  )?.request?.buckets;
  const rows: TransactionServiceRow[] = [];
  for (const b of buckets ?? [])
    for (const transactionId of txOf.get(b.key) ?? [])
      for (const s of b.service.buckets)
        rows.push({
          transactionId,
          service: s.key,
          first: s.first.value,
          last: s.last.value,
          events: s.doc_count,
          errors: s.doc_count,
          linked: true,
        });
  return rows;
}
