import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import cliProgress from 'cli-progress';
import { createFileDeadLetterStore } from '../../sinks/dead-letters/file-store.js';
import { type ReplayReport, replayDeadLetters } from '../../sinks/dead-letters/replay.js';
import { createS3DeadLetterStore } from '../../sinks/dead-letters/s3-store.js';
import { parseDeadLetterSource } from '../../sinks/dead-letters/source.js';
import { createSqsDeadLetterStore } from '../../sinks/dead-letters/sqs-store.js';
import type { DeadLetterStore } from '../../sinks/dead-letters/types.js';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import { type FailedBatchReplayReport, replayFailedBatches } from '../../sinks/on-failure/replay.js';
import {
  createS3FailedBatchSource,
  type FailedBatchSource,
  LAMBDA_ON_FAILURE_PREFIX,
} from '../../sinks/on-failure/s3-source.js';
import { createSqsFailedBatchSource } from '../../sinks/on-failure/sqs-source.js';
import { createOpenSearchSink } from '../../sinks/opensearch/sink.js';
import { awsClientSettings } from '../aws.js';
import { type Command, type CommandIo, EXIT, type ExitCode, UsageError } from '../command.js';
import { openSearchClientFromFlags } from '../opensearch-flags.js';

const HELP = [
  'Usage: sluice dlq replay SOURCE [--node URL] [--aws-region REGION] [--service es|aoss]',
  '                               [--ca-cert FILE] [--prefix NAME] [--endpoint URL] [--batch N]',
  '',
  "Re-submits the sink's dead letters to OpenSearch once their cause is fixed. Letters that are",
  'indexed (or already there) are removed from the source; letters that still fail stay, as do',
  'letters of earlier stages (they must go through the transform and filters again).',
  '',
  'SOURCE is a local NDJSON file, s3://bucket/prefix/, or an SQS queue URL.',
  '',
  'Under s3://bucket/aws/lambda/ (or with --failed-batches) SOURCE holds the batches the event source',
  "mappings gave up on (Lambda's S3 on-failure records, records included): their records are put back",
  'on the stream they came from (raw → transform, events → sink), and each record is removed once all',
  'its records are accepted. A record that only points into the stream (an SQS on-failure queue) is',
  'resolved from the stream while it still holds the records. OpenSearch is not needed for that.',
  '  --failed-batches     read SOURCE (s3://… or a queue URL) as on-failure records whatever its prefix',
  '  --node URL           OpenSearch endpoint (default $SLUICE_OPENSEARCH_ENDPOINT, else http://127.0.0.1:9201)',
  '  --aws-region REGION  sign OpenSearch requests with SigV4; also the region of S3/SQS (default $AWS_REGION)',
  '  --service es|aoss    Amazon OpenSearch Service (es, default) or Serverless (aoss)',
  '  --ca-cert FILE       PEM of a CA to trust for an https node (basic auth from',
  '                       $SLUICE_OPENSEARCH_USERNAME / $SLUICE_OPENSEARCH_PASSWORD)',
  '  --prefix NAME        data stream prefix (default sluice-logs)',
  '  --endpoint URL       S3/SQS/Kinesis endpoint override (e.g. the moto emulator)',
  '  --batch N            letters per bulk write (default 500)',
  '',
  'Entries that are not letters (a line that is not JSON, a torn final line of a file) are listed',
  'on stderr with their line number / key / message id and left in place.',
  'Shows a progress bar on a terminal, plain progress lines otherwise. Exit 1 when letters were',
  'kept or entries were unreadable.',
].join('\n');

const OPTIONS = {
  node: { type: 'string' },
  'aws-region': { type: 'string' },
  service: { type: 'string' },
  'ca-cert': { type: 'string' },
  prefix: { type: 'string' },
  endpoint: { type: 'string' },
  batch: { type: 'string' },
  'failed-batches': { type: 'boolean' },
} as const;
type Values = Partial<Record<Exclude<keyof typeof OPTIONS, 'failed-batches'>, string>> & {
  'failed-batches'?: boolean;
};

function parse(argv: readonly string[]): { source: string; v: Values } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [action, source, ...extra] = parsed.positionals;
  if (action !== 'replay' || source === undefined || extra.length > 0) {
    throw new UsageError(`expected 'replay SOURCE', got '${parsed.positionals.join(' ') || 'nothing'}'`);
  }
  return { source, v: parsed.values };
}

function openStore(
  source: string,
  v: Values,
  io: CommandIo,
  onMalformed: (e: Error) => void,
): DeadLetterStore {
  let parsed: ReturnType<typeof parseDeadLetterSource>;
  try {
    parsed = parseDeadLetterSource(source);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const aws = { region: v['aws-region'] ?? io.env.AWS_REGION ?? 'us-east-1', endpoint: v.endpoint };
  switch (parsed.kind) {
    case 'file':
      return createFileDeadLetterStore(parsed.path, { onMalformed });
    case 's3':
      return createS3DeadLetterStore({
        client: new S3Client({ ...aws, forcePathStyle: v.endpoint !== undefined }),
        bucket: parsed.bucket,
        prefix: parsed.prefix,
        onMalformed,
      });
    case 'sqs':
      return createSqsDeadLetterStore({ client: new SQSClient(aws), queueUrl: parsed.queueUrl, onMalformed });
  }
}

function progress(io: CommandIo, total: number | undefined): { update(r: ReplayReport): void; stop(): void } {
  const line = (r: ReplayReport): string =>
    `read ${r.read}, indexed ${r.indexed}, duplicate ${r.duplicate}, kept ${r.kept}, skipped ${r.skipped}`;
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  if (!tty) {
    return { update: (r) => io.stderr.write(`replay: ${line(r)}\n`), stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, format: 'replay [{bar}] {value}/{total} | {detail}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, 0, { detail: '' });
  return {
    update: (r) => {
      if (r.read > bar.getTotal()) bar.setTotal(r.read);
      bar.update(r.read, { detail: line(r) });
    },
    stop: () => bar.stop(),
  };
}

/** Where on-failure records are, when SOURCE names them. */
type FailedBatchesAt = { kind: 's3'; bucket: string; prefix: string } | { kind: 'sqs'; queueUrl: string };

/** The on-failure records SOURCE names: under s3://…/aws/lambda/, or any s3:// or queue URL with --failed-batches. */
function failedBatchesSource(source: string, v: Values): FailedBatchesAt | undefined {
  let parsed: ReturnType<typeof parseDeadLetterSource>;
  try {
    parsed = parseDeadLetterSource(source);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const lambdaPrefix = LAMBDA_ON_FAILURE_PREFIX.slice(0, -1);
  if (parsed.kind === 's3' && (v['failed-batches'] || parsed.prefix.startsWith(lambdaPrefix))) {
    return { kind: 's3', bucket: parsed.bucket, prefix: parsed.prefix };
  }
  if (parsed.kind === 'sqs' && v['failed-batches']) return { kind: 'sqs', queueUrl: parsed.queueUrl };
  if (v['failed-batches']) {
    throw new UsageError(`--failed-batches reads s3://bucket/prefix/ or an SQS queue URL, got '${source}'`);
  }
  return undefined;
}

/** Puts the records of failed batches back on their streams. */
async function replayFailed(where: FailedBatchesAt, v: Values, io: CommandIo): Promise<ExitCode> {
  const aws = awsClientSettings({ region: v['aws-region'], endpoint: v.endpoint }, io);
  const s3 = new S3Client({ ...aws, forcePathStyle: v.endpoint !== undefined });
  const sqs = new SQSClient(aws);
  const source: FailedBatchSource & { release?(): Promise<void> } =
    where.kind === 's3'
      ? createS3FailedBatchSource({ client: s3, bucket: where.bucket, prefix: where.prefix })
      : createSqsFailedBatchSource({ client: sqs, queueUrl: where.queueUrl });
  const clients = new Map<string, ReturnType<typeof createKinesisClient>>();
  const kinesisFor = (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = createKinesisClient({ ...aws, region: region || aws.region });
      clients.set(region, c);
    }
    return c;
  };
  const line = (r: FailedBatchReplayReport): string =>
    `read ${r.read}, replayed ${r.replayed} (${r.records} records), kept ${r.kept}`;
  try {
    const report = await replayFailedBatches(source, {
      kinesisFor,
      signal: io.signal,
      onKept: (location, err) => io.stderr.write(`kept ${location}: ${err.code}: ${err.message}\n`),
      onProgress: (r) => io.stderr.write(`replay: ${line(r)}\n`),
    });
    io.stdout.write(
      `replayed ${report.replayed} of ${report.read} failed batches: ${report.records} records back on their streams, ` +
        `${report.kept} kept\n`,
    );
    return report.kept > 0 ? EXIT.failure : EXIT.ok;
  } finally {
    await source.release?.();
    s3.destroy();
    sqs.destroy();
    for (const c of clients.values()) c.destroy();
  }
}

/** `sluice dlq replay`: re-submits dead letters to OpenSearch. */
export const command: Command = {
  name: 'dlq',
  summary: 'Replay dead letters (file, S3 or SQS) into OpenSearch, and failed batches onto their streams',
  help: HELP,
  async run(argv, io) {
    const { source, v } = parse(argv);
    const failed = failedBatchesSource(source, v);
    if (failed) return replayFailed(failed, v, io);
    const batch = v.batch === undefined ? 500 : Number(v.batch);
    if (!Number.isInteger(batch) || batch < 1)
      throw new UsageError(`--batch must be a whole number ≥ 1, got '${v.batch}'`);
    const { client } = openSearchClientFromFlags(v, io);
    let unreadable = 0;
    const store = openStore(source, v, io, (e) => {
      unreadable++;
      io.stderr.write(`skipped: ${e.message}\n`);
    });
    // No dead-letter store on this sink: a letter that still fails stays where it is.
    const sink = createOpenSearchSink({
      client,
      ...(v.prefix !== undefined ? { indexPrefix: v.prefix } : {}),
      onNotice: (n) => io.stderr.write(`notice: ${n}\n`),
    });
    const bar = progress(io, await store.count?.().catch(() => undefined));
    try {
      const report = await replayDeadLetters(store, sink, {
        batchSize: batch,
        signal: io.signal,
        onProgress: (r) => bar.update(r),
      });
      bar.stop();
      io.stdout.write(
        `replayed ${report.read} letters: ${report.indexed} indexed, ${report.duplicate} already there, ` +
          `${report.kept} kept (still failing), ${report.skipped} skipped (not sink letters)` +
          `${unreadable > 0 ? `; ${unreadable} unreadable entries left in place (listed above)` : ''}\n`,
      );
      return report.kept > 0 || unreadable > 0 ? EXIT.failure : EXIT.ok;
    } finally {
      bar.stop();
      await sink.close();
      await client.close();
    }
  },
};
