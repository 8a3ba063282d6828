import { exportUrl, type ListParams } from './api.js';
import { count } from './format.js';

/** Events one export holds (the server's default limit of `/api/export`). */
const EXPORT_LIMIT = 10_000;

/**
 * Download links for the shown result list as NDJSON or CSV (the shown columns), in its order,
 * with its time range fixed at the search. Says when the export will be cut at its limit.
 */
export function ExportLinks({
  params,
  total,
  columns,
}: {
  params: ListParams;
  total: number;
  columns: readonly string[];
}) {
  const cut = total > EXPORT_LIMIT;
  return (
    <span class="export" data-testid="export">
      Export{' '}
      <a href={exportUrl(params, 'ndjson', columns)} download data-testid="export-ndjson">
        NDJSON
      </a>{' '}
      ·{' '}
      <a href={exportUrl(params, 'csv', columns)} download data-testid="export-csv">
        CSV
      </a>
      {cut ? (
        <span class="warn-text" data-testid="export-cut">
          {' '}
          (the first {count(EXPORT_LIMIT)} of {count(total)} events)
        </span>
      ) : null}
    </span>
  );
}
