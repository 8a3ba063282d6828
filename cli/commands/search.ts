import { parseArgs } from 'node:util';
import { QuerySyntaxError } from '../../search/errors.js';
import { parseQuery } from '../../search/query.js';
import { type Command, EXIT, parsedOrUsage, UsageError } from '../command.js';
import { eventLine, SEARCH_SOURCE_HELP, SEARCH_SOURCE_OPTIONS, withSearchSource } from '../search-source.js';
import { parseTime } from '../time.js';

const HELP = [
  'Usage: sluice search [QUERY…] [--since TIME] [--until TIME] [--limit N] [--json] [source options]',
  '',
  'Finds events with the query language of the trace explorer (docs/start.md): words, "phrases",',
  'field:value, field:a,b, prefix*, -negation; * or nothing for everything. Newest first.',
  '',
  '  --since TIME         ISO 8601 or a duration ago (30m, 12h, 7d); default 15m',
  '  --until TIME         default now',
  '  --limit N            events to print (1-500, default 20)',
  '  --json               one LogEvent per line (NDJSON) instead of readable lines',
  '',
  ...SEARCH_SOURCE_HELP,
].join('\n');

/** `sluice search`: the trace explorer's search from a terminal. */
export const command: Command = {
  name: 'search',
  summary: 'Search events (the trace explorer query language) in the embedded store or OpenSearch',
  help: HELP,
  async run(argv, io) {
    const { values: v, positionals } = parsedOrUsage(() => parse(argv));
    const limit = v.limit === undefined ? 20 : Number(v.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new UsageError(`--limit must be a whole number from 1 to 500, got '${v.limit}'`);
    const now = Date.now();
    const from = parseTime(v.since ?? '15m', now, '--since');
    const to = parseTime(v.until ?? 'now', now, '--until');
    let query: ReturnType<typeof parseQuery>;
    const text = positionals.join(' ');
    try {
      query = parseQuery(text);
    } catch (err) {
      // The user's own query, on their terminal, with a caret under the problem.
      if (err instanceof QuerySyntaxError && !text.includes('\n') && text.length <= 200)
        throw new UsageError(
          `query: ${err.message}\n  ${text}\n  ${' '.repeat(err.position)}^${'~'.repeat(Math.max(0, Math.min(err.length, text.length - err.position) - 1))}`,
        );
      if (err instanceof QuerySyntaxError) throw new UsageError(`query: ${err.message}`);
      throw err;
    }
    return withSearchSource(v, io, 'search', async (backend) => {
      const res = await backend.search({ query, from, to, limit, offset: 0 });
      if (v.json) for (const e of res.events) io.stdout.write(`${JSON.stringify(e)}\n`);
      else {
        io.stdout.write(
          `${res.total} event${res.total === 1 ? '' : 's'} from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}${res.total > res.events.length ? ` (newest ${res.events.length} shown)` : ''}\n`,
        );
        for (const e of res.events) io.stdout.write(`${e['@timestamp']}  ${eventLine(e)}\n`);
      }
      return EXIT.ok;
    });
  },
};

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      ...SEARCH_SOURCE_OPTIONS,
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}
