import type { ServerResponse } from 'node:http';
import { SearchRequestError } from '../../search/errors.js';
import { flattenEvent } from '../../search/field-sample.js';
import { resolveField } from '../../search/fields.js';
import type { SearchBackend } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { readRange } from './api.js';

/** Events one export holds at most by default, and the largest `limit` a request may ask for. */
export const EXPORT_DEFAULT_LIMIT = 10_000;
export const EXPORT_MAX_LIMIT = 100_000;
/** Events read per backend query while exporting. */
const EXPORT_PAGE = 500;
/** Columns of a CSV export when the request names none. */
export const EXPORT_DEFAULT_COLUMNS = [
  '@timestamp',
  'service.name',
  'log.level',
  'message',
  'transaction.id',
  'error.type',
] as const;

/** A plain number (a spreadsheet reads it as a number, never as a formula), e.g. `-12.5`. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
/** First characters that make a spreadsheet evaluate a cell (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: RFC 4180 (a value holding `"`, `,`, CR or LF is quoted, inner quotes doubled) and
 * safe to open in a spreadsheet: a value starting with `=`, `+`, `-`, `@`, tab or CR gets a leading
 * `'` so it is shown as text, never run as a formula (OWASP "CSV Injection"); plain numbers such as
 * `-5` are left as they are. Pure.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record with its CRLF line break (RFC 4180). Pure. */
export const csvRow = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** The CSV record of an event: each column's value as text (`''` when the event lacks it). Pure. */
export function csvEventRow(event: LogEvent, columns: readonly string[]): string {
  const flat = flattenEvent(event);
  return csvRow(columns.map((c) => flat.get(c) ?? ''));
}

/** The `columns` parameter: comma-separated field paths (aliases resolved), 1 to 100 of them. */
export function exportColumns(raw: string | null): string[] {
  if (raw === null || raw.trim() === '') return [...EXPORT_DEFAULT_COLUMNS];
  const names = raw.split(',').map((c) => c.trim());
  if (names.length > 100) throw new SearchRequestError('parameter columns takes at most 100 fields');
  return names.map((name) => {
    const field = resolveField(name);
    if ('path' in field) return field.path;
    if (field.problem === 'unknown')
      throw new SearchRequestError(
        `parameter columns names a field the events do not have; did you mean ${field.suggestion}?`,
      );
    throw new SearchRequestError('parameter columns must list field names such as service.name,message');
  });
}

/** What an export wrote: events, and whether it stopped at its limit with more events matching. */
export interface ExportResult {
  readonly events: number;
  readonly truncated: boolean;
}

function exportLimit(params: URLSearchParams): number {
  const raw = params.get('limit');
  if (raw === null || raw === '') return EXPORT_DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > EXPORT_MAX_LIMIT)
    throw new SearchRequestError(`parameter limit must be an integer from 1 to ${EXPORT_MAX_LIMIT}`);
  return n;
}

/**
 * `GET /api/export?format=ndjson|csv&q=&from=&to=&sort=&columns=&limit=`: streams the matching
 * events (in the result list's order) as an NDJSON or CSV download, read from the backend page by
 * page with a search_after cursor and written as the client takes them (back-pressure). At most
 * `limit` events (default 10,000, at most 100,000); when more match, the export stops there and
 * says so in the `X-Sluice-Export-Truncated: true` trailer (the UI says it before the download,
 * from the result's total). Parameters are checked before anything is written, so a bad request
 * is a JSON 400; a failure mid-stream ends the response without its final chunk.
 */
export async function streamExport(
  res: ServerResponse,
  params: URLSearchParams,
  search: SearchBackend,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<ExportResult> {
  const format = params.get('format') ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv')
    throw new SearchRequestError('parameter format must be ndjson or csv');
  const range = readRange(params);
  const limit = exportLimit(params);
  const columns = format === 'csv' ? exportColumns(params.get('columns')) : [];
  // The first page before the headers: a bad query or cursor is still answered as a JSON error.
  let page = await search.page({ ...range, limit: Math.min(EXPORT_PAGE, limit) });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  res.writeHead(200, {
    ...headers,
    'content-type':
      format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="sluice-export-${stamp}.${format}"`,
    'cache-control': 'no-store',
    'x-sluice-export-limit': String(limit),
    trailer: 'X-Sluice-Export-Truncated',
  });
  const write = async (chunk: string): Promise<void> => {
    if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
  };
  if (format === 'csv') await write(csvRow(columns));
  let written = 0;
  for (;;) {
    if (signal.aborted) return { events: written, truncated: false };
    const lines = page.events.map((e) =>
      format === 'csv' ? csvEventRow(e, columns) : `${JSON.stringify(e)}\n`,
    );
    if (lines.length > 0) await write(lines.join(''));
    written += page.events.length;
    if (page.next === undefined) break;
    if (written >= limit) {
      res.addTrailers({ 'X-Sluice-Export-Truncated': 'true' });
      res.end();
      return { events: written, truncated: true };
    }
    page = await search.page({ ...range, limit: Math.min(EXPORT_PAGE, limit - written), after: page.next });
  }
  res.addTrailers({ 'X-Sluice-Export-Truncated': 'false' });
  res.end();
  return { events: written, truncated: false };
}
