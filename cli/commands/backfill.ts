import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { BackfillError, backfill } from '../../ingest/backfill/backfill.js';
import { compileLogGroupMatcher, type LogGroupMatcher } from '../../ingest/subscribe/matcher.js';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import { awsClientSettings } from '../aws.js';
import { type Command, type CommandIo, EXIT, parsedOrUsage, UsageError } from '../command.js';
import { parseTime } from '../time.js';

const HELP = [
  'Usage: sluice backfill --raw-stream NAME --include GLOB [--include GLOB…] --since TIME [options]',
  '',
  'Replays CloudWatch Logs history into the pipeline: reads the events of every matching log group',
  'in the time range (FilterLogEvents) and writes them to the raw stream as subscription payloads,',
  'so the deployed transform and sink index them like live traffic. Events keep their CloudWatch',
  'ids, from which the sink derives `_id`: an overlap with live delivery, or a second run after an',
  'interruption, is not indexed twice.',
  '',
  '  --raw-stream NAME      the Kinesis stream the subscriptions deliver to',
  '  --include GLOB         log groups to read, as the auto-subscriber matches them (* any characters,',
  '                         / included; ? one character), e.g. "/aws/lambda/orders-*"',
  '  --exclude GLOB         log groups to skip (wins over --include)',
  '  --since TIME           start: ISO 8601 (2026-11-01T00:00:00Z) or a duration ago (30m, 12h, 7d)',
  '  --until TIME           end, exclusive (default now)',
  '  --filter-pattern P     a CloudWatch Logs filter pattern: only matching events',
  '  --dry-run              read and count, write nothing',
  '  --endpoint URL         AWS endpoint, e.g. http://127.0.0.1:5000 for moto',
  '  --region REGION        default $AWS_REGION, else us-east-1',
  '',
  'Exit 1 when payloads could not be written after retries (run it again: nothing is indexed twice).',
].join('\n');

const OPTIONS = {
  'raw-stream': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  'filter-pattern': { type: 'string' },
  'dry-run': { type: 'boolean' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
} as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** `sluice backfill`: CloudWatch Logs history into the raw stream. */
export const command: Command = {
  name: 'backfill',
  summary: 'Replay CloudWatch Logs history (a time range of matching log groups) into the pipeline',
  help: HELP,
  async run(argv, io: CommandIo) {
    const { values } = parsedOrUsage(() =>
      parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false }),
    );
    const stream = values['raw-stream'];
    if (!stream || !values.include?.length || !values.since)
      throw new UsageError('backfill needs --raw-stream, --include and --since (see sluice backfill --help)');
    const now = Date.now();
    const startMs = parseTime(values.since, now, '--since');
    const endMs = parseTime(values.until ?? 'now', now, '--until');
    if (startMs >= endMs)
      throw new UsageError(
        `--since (${iso(startMs)}) is not before --until (${iso(endMs)}); expected a non-empty range`,
      );
    let matcher: LogGroupMatcher;
    try {
      matcher = compileLogGroupMatcher({ include: values.include, exclude: values.exclude ?? [] });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const aws = awsClientSettings(values, io);
    const logs = new CloudWatchLogsClient({ ...aws, maxAttempts: 8 });
    const kinesis = createKinesisClient(aws);
    const dry = values['dry-run'] ?? false;
    io.stderr.write(
      `${dry ? 'dry run: reading' : 'backfilling'} ${iso(startMs)} – ${iso(endMs)} into ${stream}\n`,
    );
    try {
      const report = await backfill({
        logs,
        kinesis,
        streamName: stream,
        matcher,
        startMs,
        endMs,
        ...(values['filter-pattern'] ? { filterPattern: values['filter-pattern'] } : {}),
        dryRun: dry,
        signal: io.signal,
        onGroup: (g) => io.stderr.write(`  ${g.logGroup}: ${g.events} events in ${g.records} payloads\n`),
      });
      const mb = (report.bytes / 1e6).toFixed(1);
      io.stdout.write(
        dry
          ? `would backfill ${report.events} events from ${report.groups.length} log groups: ${report.records} payloads, ${mb} MB gzip\n`
          : `backfilled ${report.events} events from ${report.groups.length} log groups into ${stream}: ${report.records} payloads, ${mb} MB gzip, ${report.requests} PutRecords calls\n`,
      );
      return EXIT.ok;
    } catch (err) {
      if (io.signal.aborted) {
        io.stderr.write(
          'sluice backfill: interrupted; run it again (events keep their ids: nothing is indexed twice)\n',
        );
        return EXIT.failure;
      }
      if (!(err instanceof BackfillError)) throw err;
      io.stderr.write(`sluice backfill: ${err.code}: ${err.message}\n`);
      return EXIT.failure;
    } finally {
      logs.destroy();
      kinesis.destroy();
    }
  },
};
