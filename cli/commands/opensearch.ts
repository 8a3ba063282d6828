import { parseArgs } from 'node:util';
import { type OpenSearchSinkConfig, parseSinkConfig } from '../../sinks/opensearch/config.js';
import { setupOpenSearch } from '../../sinks/opensearch/setup.js';
import { type Command, EXIT, parsedOrUsage, UsageError } from '../command.js';
import { OPENSEARCH_HELP, OPENSEARCH_OPTIONS, openSearchClientFromFlags } from '../opensearch-flags.js';

const HELP = [
  'Usage: sluice opensearch setup [--node URL] [--aws-region REGION] [--service es|aoss] [--ca-cert FILE]',
  '                               [--prefix NAME] [--replicas N] [--retention-days N]',
  '                               [--rollover-size SIZE] [--rollover-age AGE]',
  '',
  'Installs (idempotently) the component templates, the composable index template that makes every',
  '<prefix>-* a data stream, and — when the cluster has the ISM plugin — the rollover/retention policy.',
  'Without ISM (a local node) the policy is skipped with a notice. The sink also does this on first use.',
  '',
  ...OPENSEARCH_HELP,
  '  --prefix NAME        data stream prefix (default sluice-logs)',
  '  --replicas N         replicas per backing index (default 1)',
  '  --retention-days N   delete backing indices after N days (default 30)',
  '  --rollover-size SIZE roll over at this size (default 30gb)',
  '  --rollover-age AGE   …or this age (default 1d)',
].join('\n');

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a whole number ≥ 0, got '${value}'`);
  return n;
}

const OPTIONS = {
  ...OPENSEARCH_OPTIONS,
  prefix: { type: 'string' },
  replicas: { type: 'string' },
  'retention-days': { type: 'string' },
  'rollover-size': { type: 'string' },
  'rollover-age': { type: 'string' },
} as const;
type Values = Partial<Record<keyof typeof OPTIONS, string>>;

function parse(argv: readonly string[]): Values {
  const parsed = parsedOrUsage(() =>
    parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS }),
  );
  const [action, ...extra] = parsed.positionals;
  if (action !== 'setup' || extra.length > 0) {
    throw new UsageError(`expected 'setup', got '${parsed.positionals.join(' ') || 'nothing'}'`);
  }
  return parsed.values;
}

function config(v: Values): OpenSearchSinkConfig {
  try {
    return parseSinkConfig({
      ...(v.prefix !== undefined ? { index_prefix: v.prefix } : {}),
      ...(v.replicas !== undefined ? { replicas: int(v.replicas, '--replicas') } : {}),
      ...(v['retention-days'] !== undefined
        ? { retention_days: int(v['retention-days'], '--retention-days') }
        : {}),
      ...(v['rollover-size'] !== undefined ? { rollover_min_size: v['rollover-size'] } : {}),
      ...(v['rollover-age'] !== undefined ? { rollover_min_age: v['rollover-age'] } : {}),
    });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

/** `sluice opensearch setup`: installs index templates and the ISM policy. */
export const command: Command = {
  name: 'opensearch',
  summary: 'Set up OpenSearch index templates, data streams and the ISM policy',
  help: HELP,
  async run(argv, io) {
    const v = parse(argv);
    const cfg = config(v);
    const { client } = openSearchClientFromFlags(v, io);
    try {
      const report = await setupOpenSearch(client, cfg);
      io.stdout.write(`component templates: ${report.componentTemplates.join(', ')}\n`);
      io.stdout.write(
        `index template:      ${report.indexTemplate} (${cfg.index_prefix}-* → data streams)\n`,
      );
      io.stdout.write(`ISM policy:          ${report.policy}: ${report.ism}\n`);
      for (const notice of report.notices) io.stderr.write(`notice: ${notice}\n`);
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
};
