import { parseArgs } from 'node:util';
import type { Invocation } from '../../search/spans.js';
import { type Command, EXIT, parsedOrUsage, UsageError } from '../command.js';
import { eventLine, SEARCH_SOURCE_HELP, SEARCH_SOURCE_OPTIONS, withSearchSource } from '../search-source.js';

const HELP = [
  'Usage: sluice trace TRANSACTION_ID [--json] [source options]',
  '',
  'Every event of one transaction across all components, oldest first, with the time since its',
  'first event, the services in the order they joined and the errors, then its Lambda invocations',
  '(START → REPORT per request id: duration, billed duration, init duration of a cold start, memory;',
  '"from log lines" where no platform lines were found). Platform lines without a transaction id join',
  'through the request id their events carry. Exit 1 when it has no events.',
  '',
  '  --json               one LogEvent per line (NDJSON) instead of the readable timeline',
  '',
  ...SEARCH_SOURCE_HELP,
].join('\n');

/** `sluice trace`: one transaction across components, from a terminal. */
export const command: Command = {
  name: 'trace',
  summary: 'Show one transaction across all components (embedded store or OpenSearch)',
  help: HELP,
  async run(argv, io) {
    const { values: v, positionals } = parsedOrUsage(() => parse(argv));
    const [tx, ...extra] = positionals;
    if (!tx || extra.length) throw new UsageError('trace takes exactly one TRANSACTION_ID');
    return withSearchSource(v, io, 'trace', async (backend) => {
      const trace = await backend.trace(tx);
      if (trace.events.length === 0) {
        io.stderr.write(`no events for transaction ${JSON.stringify(tx)}\n`);
        return EXIT.failure;
      }
      if (v.json) {
        for (const e of trace.events) io.stdout.write(`${JSON.stringify(e)}\n`);
        return EXIT.ok;
      }
      const s = trace.summary;
      io.stdout.write(
        `transaction ${tx}: ${trace.events.length}${trace.truncated ? '+' : ''} events, ${(s.durationMs / 1000).toFixed(3)} s, ${s.errorCount} error${s.errorCount === 1 ? '' : 's'}, from ${new Date(s.start).toISOString()}\n`,
      );
      io.stdout.write(
        `services: ${s.services.map((x) => `${x.service} (${x.events}${x.errors ? `, ${x.errors} error${x.errors === 1 ? '' : 's'}` : ''})`).join(' → ')}\n`,
      );
      for (const e of trace.events) {
        const offset = ((Date.parse(e['@timestamp']) - s.start) / 1000).toFixed(3);
        io.stdout.write(`+${offset.padStart(8)}s  ${eventLine(e)}\n`);
      }
      io.stdout.write('invocations:\n');
      for (const inv of trace.invocations) io.stdout.write(`${invocationLine(inv, s.start)}\n`);
      return EXIT.ok;
    });
  },
};

/** `+   0.020s  payments  8f507cfc  15.74 ms  billed 16 ms  init 130.49 ms (cold)  56/128 MB` */
function invocationLine(inv: Invocation, start: number): string {
  const offset = ((inv.start - start) / 1000).toFixed(3);
  const parts = [
    `+${offset.padStart(8)}s`,
    inv.service,
    inv.requestId?.slice(0, 8) ?? '-',
    `${inv.durationMs} ms`,
  ];
  if (inv.billedDurationMs !== undefined) parts.push(`billed ${inv.billedDurationMs} ms`);
  if (inv.initDurationMs !== undefined) parts.push(`init ${inv.initDurationMs} ms (cold)`);
  else if (inv.coldStart) parts.push('cold');
  if (inv.maxMemoryUsedMb !== undefined && inv.memorySizeMb !== undefined)
    parts.push(`${inv.maxMemoryUsedMb}/${inv.memorySizeMb} MB`);
  if (inv.status !== 'ok') parts.push(inv.status);
  if (inv.source === 'log_lines') parts.push('from log lines');
  return `  ${parts.join('  ')}`;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...SEARCH_SOURCE_OPTIONS, json: { type: 'boolean' } },
  });
}
