import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SearchBackendError } from '../search/errors.js';
import { createOpenSearchSearch } from '../search/opensearch.js';
import { createSqliteSearch } from '../search/sqlite.js';
import type { SearchBackend } from '../search/types.js';
import type { LogEvent } from '../transform/schema.js';
import { type CommandIo, EXIT, type ExitCode, UsageError } from './command.js';
import {
  OPENSEARCH_HELP,
  OPENSEARCH_OPTIONS,
  type OpenSearchFlags,
  openSearchClientFromFlags,
} from './opensearch-flags.js';

/** Where `sluice search` and `sluice trace` read: OpenSearch (`--node`) or the embedded store. */
export interface SearchSourceFlags extends OpenSearchFlags {
  readonly prefix?: string | undefined;
  readonly store?: string | undefined;
}

/** `parseArgs` options of {@link SearchSourceFlags}. */
export const SEARCH_SOURCE_OPTIONS = {
  ...OPENSEARCH_OPTIONS,
  prefix: { type: 'string' },
  store: { type: 'string' },
} as const;

/** Help lines of {@link SearchSourceFlags}. */
export const SEARCH_SOURCE_HELP = [
  'Reads the embedded store of `sluice start` (--store, default .sluice), or OpenSearch with --node',
  '(or $SLUICE_OPENSEARCH_ENDPOINT):',
  '  --store DIR          data directory of `sluice start` (its events.db is opened read-only)',
  ...OPENSEARCH_HELP,
  '  --prefix PREFIX      index prefix in OpenSearch (default sluice-logs)',
];

/** Opens the search backend the flags name. */
function openSearchSource(v: SearchSourceFlags, io: Pick<CommandIo, 'env' | 'cwd'>): SearchBackend {
  if (v.node !== undefined || io.env['SLUICE_OPENSEARCH_ENDPOINT']) {
    const { client } = openSearchClientFromFlags(v, io);
    return createOpenSearchSearch({ client, indexPattern: `${v.prefix ?? 'sluice-logs'}-*` });
  }
  const file = join(resolve(io.cwd, v.store ?? '.sluice'), 'events.db');
  if (!existsSync(file))
    throw new UsageError(
      `no embedded store at ${file}; expected the data directory of \`sluice start\` (--store DIR) or an OpenSearch node (--node URL)`,
    );
  // Read-only: `sluice start` may be writing it at the same time (WAL lets both proceed).
  return createSqliteSearch(new Database(file, { readonly: true, fileMustExist: true }));
}

/** One event as a line: time, level, service, transaction, message (first line, at most 200 characters). */
export function eventLine(e: LogEvent): string {
  const first = (e.message.split('\n', 1)[0] ?? '').slice(0, 200);
  const error = e.error
    ? ` [${e.error.type ?? 'error'}${e.error.message ? `: ${e.error.message}` : ''}]`
    : '';
  return `${e.log.level.padEnd(5)}  ${e.service.name.padEnd(16)}  ${(e.transaction?.id ?? '-').padEnd(20)}  ${first}${error}`;
}

/** Opens the source the flags name, runs `use`, reports a backend failure (exit 1) and closes the source. */
export async function withSearchSource(
  v: SearchSourceFlags,
  io: Pick<CommandIo, 'env' | 'cwd' | 'stderr'>,
  command: string,
  use: (backend: SearchBackend) => Promise<ExitCode>,
): Promise<ExitCode> {
  const backend = openSearchSource(v, io);
  try {
    return await use(backend);
  } catch (err) {
    if (!(err instanceof SearchBackendError)) throw err;
    io.stderr.write(`sluice ${command}: ${err.code}: ${err.message}\n`);
    return EXIT.failure;
  } finally {
    await backend.close();
  }
}
