/**
 * Schema paths stored only in columns (removed from `doc`, put back by `decodeDoc` in `row.ts`); a
 * query on one of them must use its column, never `json_extract(doc, …)`.
 */
export const COLUMN_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  '@timestamp': 'ts',
  'event.id': 'id',
  'service.name': 'service',
  'log.level': 'level',
  'transaction.id': 'transaction_id',
  'trace.id': 'trace_id',
});
