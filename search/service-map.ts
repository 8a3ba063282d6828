/**
 * One service's part in one transaction, as a backend aggregates it. Times are epoch ms. A backend
 * may return several rows for one transaction and service (its own events, and the error lines
 * linked to the transaction through a Lambda request id): {@link buildServiceMap} merges them.
 */
export interface TransactionServiceRow {
  readonly transactionId: string;
  readonly service: string;
  /** Its first and last event in the transaction. */
  readonly first: number;
  readonly last: number;
  readonly events: number;
  /** Events at level error or fatal. */
  readonly errors: number;
  /**
   * True for a row of error lines linked through a request id (no transaction id of their own):
   * merged with the service's own row, it adds its errors but not its times, so who-calls-whom
   * stays as the transaction's own events show it (a function that timed out was not calling
   * the services that joined meanwhile).
   */
  readonly linked?: boolean;
}

/** A service of the map: in how many transactions it took part, and in how many it logged an error. */
export interface ServiceNode {
  readonly service: string;
  readonly transactions: number;
  readonly errorTransactions: number;
  /** `errorTransactions / transactions`. */
  readonly errorRate: number;
  /** Transactions it started (it appeared first). */
  readonly entry: number;
}

/** A call: `to` joined transactions after `from`, while `from` was still active (see {@link buildServiceMap}). */
export interface ServiceEdge {
  readonly from: string;
  readonly to: string;
  /** Transactions in which this call was seen. */
  readonly calls: number;
  /** Of those, how many had an error in `to`. */
  readonly errors: number;
  readonly errorRate: number;
}

/** The service map of a time range (`GET /api/services`). */
export interface ServiceMap {
  readonly from: number;
  readonly to: number;
  /** Transactions the map was built from. */
  readonly transactions: number;
  /** True when the range had more transactions than were read (the newest were). */
  readonly sampled: boolean;
  readonly nodes: readonly ServiceNode[];
  readonly edges: readonly ServiceEdge[];
}

/**
 * Who calls whom, from the order in which services first appear in each transaction: a service
 * that joins a transaction is called by the service that joined last before it among those still
 * active then (its last event at or after that moment), else by the one that joined just before it.
 * Counts calls and calls whose callee logged an error; nodes count transactions and error
 * transactions. Pure.
 */
export function buildServiceMap(
  rows: readonly TransactionServiceRow[],
  meta: { from: number; to: number; sampled: boolean },
): ServiceMap {
  const byTx = new Map<string, TransactionServiceRow[]>();
  for (const r of mergeRows(rows)) {
    const list = byTx.get(r.transactionId);
    if (list) list.push(r);
    else byTx.set(r.transactionId, [r]);
  }
  const nodes = new Map<string, { transactions: number; errorTransactions: number; entry: number }>();
  const edges = new Map<string, { from: string; to: string; calls: number; errors: number }>();
  for (const list of byTx.values()) {
    list.sort((a, b) => a.first - b.first || a.service.localeCompare(b.service));
    list.forEach((r, k) => {
      const node = nodes.get(r.service) ?? { transactions: 0, errorTransactions: 0, entry: 0 };
      node.transactions += 1;
      if (r.errors > 0) node.errorTransactions += 1;
      if (k === 0) node.entry += 1;
      nodes.set(r.service, node);
      if (k === 0) return;
      let caller = list[k - 1]!;
      for (let j = k - 1; j >= 0; j--) {
        if (list[j]!.last >= r.first) {
          caller = list[j]!;
          break;
        }
      }
      const key = `${caller.service}\u0000${r.service}`;
      const edge = edges.get(key) ?? { from: caller.service, to: r.service, calls: 0, errors: 0 };
      edge.calls += 1;
      if (r.errors > 0) edge.errors += 1;
      edges.set(key, edge);
    });
  }
  const rate = (n: number, d: number): number => (d === 0 ? 0 : n / d);
  return {
    from: meta.from,
    to: meta.to,
    transactions: byTx.size,
    sampled: meta.sampled,
    nodes: [...nodes]
      .map(([service, n]) => ({ service, ...n, errorRate: rate(n.errorTransactions, n.transactions) }))
      .sort(
        (a, b) => b.entry - a.entry || b.transactions - a.transactions || a.service.localeCompare(b.service),
      ),
    edges: [...edges.values()]
      .map((e) => ({ ...e, errorRate: rate(e.errors, e.calls) }))
      .sort((a, b) => b.calls - a.calls || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
  };
}

/**
 * One row per transaction and service: events and errors summed, the earliest first and the latest
 * last of its own rows. A linked row (a `Task timed out` line, no transaction id, same request id)
 * makes the service's part an error; it gives the times only when the service has no own row. Pure.
 */
export function mergeRows(rows: readonly TransactionServiceRow[]): TransactionServiceRow[] {
  const out = new Map<string, TransactionServiceRow>();
  for (const r of [...rows].sort((a, b) => Number(a.linked ?? false) - Number(b.linked ?? false))) {
    const key = `${r.transactionId}\u0000${r.service}`;
    const seen = out.get(key);
    if (!seen) {
      out.set(key, r);
      continue;
    }
    const times =
      r.linked && !seen.linked
        ? seen
        : { first: Math.min(seen.first, r.first), last: Math.max(seen.last, r.last) };
    out.set(key, {
      transactionId: r.transactionId,
      service: r.service,
      first: times.first,
      last: times.last,
      events: seen.events + r.events,
      errors: seen.errors + r.errors,
      ...(seen.linked && r.linked ? { linked: true } : {}),
    });
  }
  return [...out.values()];
}
