import type { RequestTransactions } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';

/**
 * The transaction of a row: its own `transaction.id`, else the first transaction its Lambda
 * request id is linked to (`links` of the search answer), for START/END/REPORT and the like.
 */
export function transactionOf(e: LogEvent, links: RequestTransactions | undefined): string | undefined {
  const own = e.transaction?.id;
  if (own !== undefined) return own;
  const request = e.faas?.execution;
  return request === undefined ? undefined : links?.[request]?.[0];
}
