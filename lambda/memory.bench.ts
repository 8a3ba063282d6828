import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { build } from 'esbuild';
import type { BenchSuite } from '../bench/harness.js';
import { fmt } from '../bench/harness.js';
import { seededRandom } from '../core/random.js';
import { compileRules } from '../filters/pipeline.js';
import { decodeCwlData } from '../ingest/decode.js';
import type { CwlEnvelope } from '../ingest/envelope.js';
import { createKinesisClient } from '../sinks/kinesis/client.js';
import { packEvents } from '../sinks/kinesis/pack.js';
import { createTestStream, motoConfig, uniqueName } from '../test/factories/aws.js';
import { makeKinesisEvent } from '../test/factories/kinesis.js';
import { dropPrefix } from '../test/factories/opensearch.js';
import { generateKinesisPayloads, generateLogLines } from '../test/factories/payloads.js';
import { compileNormalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { LAMBDA_BUNDLE_OPTIONS, LAMBDA_ENTRIES } from './bundle.js';
import {
  DEPLOYED_HEAP_FLAG,
  PAYLOAD_LIMIT,
  type ProbeResult,
  RAW_GZIP_CAP,
  RAW_INFLATED,
  type Row,
  renderMemory,
} from './memory-table.js';

const root = resolve(import.meta.dirname, '..');
/** A large, compressible pino line (an order snapshot of repeated items), 64–240 KB. */
function snapshotLine(r: () => number, n: number, bytes: number): string {
  const items: unknown[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = {
      sku: `SKU-${100 + (i % 12)}`,
      name: 'standard widget, blue',
      qty: 1 + (i % 3),
      price: 9.99,
    };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return JSON.stringify({
    level: 30,
    time: 1714564800000 + n,
    msg: 'order snapshot',
    transactionId: `tx-${Math.floor(r() * 1e12).toString(16)}`,
    order: { id: `o-${n}`, items },
  });
}

/**
 * One raw record of the worst kind the brief names: a CloudWatch Logs `DATA_MESSAGE` whose JSON
 * inflates to just under the 16 MiB bound and whose gzip is just under the 1 MiB record limit.
 * `share` of the bytes are the shared realistic lines (with their tail of lines up to 256 KB),
 * the rest large compressible snapshot lines; the caller searches `share` for the gzip cap.
 */
function rawRecord(
  seed: number,
  share: number,
  realistic: readonly string[],
): { gzip: Buffer; json: number } {
  const r = seededRandom(seed);
  const messages: string[] = [];
  let real = 0;
  let big = 0;
  let total = 2048;
  let k = 0;
  while (true) {
    const line =
      real <= share * (real + big) && k < realistic.length
        ? realistic[k++]!
        : snapshotLine(r, messages.length, 64_000 + Math.floor(r() * 176_000));
    const cost = Buffer.byteLength(JSON.stringify(line)) + 80;
    if (total + cost > RAW_INFLATED) break;
    if (line === realistic[k - 1]) real += cost;
    else big += cost;
    total += cost;
    messages.push(line);
  }
  const envelope: CwlEnvelope = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: `/aws/lambda/bench-${seed}`,
    logStream: `2024/05/01/[$LATEST]${seed.toString(16).padStart(32, '0')}`,
    subscriptionFilters: ['sluice'],
    logEvents: messages.map((message, j) => ({
      id: `${seed}${String(j).padStart(12, '0')}`,
      timestamp: 1714564800000 + j,
      message,
    })),
  };
  const json = JSON.stringify(envelope);
  return { gzip: gzipSync(json), json: Buffer.byteLength(json) };
}

/** The largest share of realistic lines whose record still gzips under the cap (bisection). */
function searchShare(seed: number, realistic: readonly string[]): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 7; i++) {
    const mid = (lo + hi) / 2;
    if (rawRecord(seed, mid, realistic).gzip.length <= RAW_GZIP_CAP) lo = mid;
    else hi = mid;
  }
  return lo;
}

const GC_LINE =
  /: (?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;

/**
 * Peak RSS and heap of one transform invocation and one sink invocation on the largest batches a
 * Kinesis event source mapping delivers (6 MB of payload; raw records of ~1 MiB gzip that inflate
 * to the 16 MiB decode bound; events records as the transform writes them), each in a fresh Node
 * process running the esbuild Lambda bundle against moto and a real OpenSearch node.
 */
const suite: BenchSuite = {
  name: 'lambda-memory',
  title: 'Lambda memory: peak RSS of one invocation on the largest batch',
  async run(ctx) {
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
    const services = {
      opensearchUrl: await ctx.services.opensearch(),
      awsEndpoint: await ctx.services.moto(),
    };
    const dir = await mkdtemp(join(tmpdir(), 'sluice-memlat-'));
    const kinesis = createKinesisClient(motoConfig(services.awsEndpoint));
    const sqs = new SQSClient(motoConfig(services.awsEndpoint));
    const stream = await createTestStream(kinesis, uniqueName('sluice-memlat'), 1);
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sluice-memlat-dlq') })))
      .QueueUrl!;
    const prefixes: string[] = [];
    try {
      ctx.log('lambda-memory: bundling the handlers and the probe …');
      await build({
        ...LAMBDA_BUNDLE_OPTIONS,
        absWorkingDir: root,
        entryPoints: {
          transform: LAMBDA_ENTRIES.transform,
          sink: LAMBDA_ENTRIES.sink,
          probe: 'bench/memory-probe.ts',
        },
        outdir: dir,
        outExtension: { '.js': '.mjs' },
        logLevel: 'silent',
      });
      const env = {
        PATH: process.env['PATH'] ?? '',
        AWS_ENDPOINT_URL: services.awsEndpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
        SLUICE_LOG_LEVEL: 'warn',
        SLUICE_DLQ_QUEUE_URL: queueUrl,
      };
      const probe = async (
        stage: 'transform' | 'sink',
        stageEnv: Record<string, string>,
        nodeFlags: readonly string[],
        warmup: KinesisStreamEvent,
        event: KinesisStreamEvent,
      ): Promise<ProbeResult> => {
        const warmFile = join(dir, `${stage}-warmup.json`);
        const eventFile = join(dir, `${stage}-event.json`);
        await writeFile(warmFile, JSON.stringify(warmup));
        await writeFile(eventFile, JSON.stringify(event));
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [
            ...nodeFlags,
            '--trace-gc',
            join(dir, 'probe.mjs'),
            join(dir, `${stage}.mjs`),
            warmFile,
            eventFile,
          ],
          { env: { ...env, ...stageEnv }, maxBuffer: 256 * 2 ** 20 },
        );
        let heapPeakMb = 0;
        let heapCommittedPeakMb = 0;
        let line: string | undefined;
        for (const l of stdout.split('\n')) {
          const gc = GC_LINE.exec(l);
          if (gc) {
            heapPeakMb = Math.max(heapPeakMb, Number(gc[1]));
            heapCommittedPeakMb = Math.max(heapCommittedPeakMb, Number(gc[2]), Number(gc[4]));
          }
          if (l.startsWith('MEMLAT ')) line = l.slice(7);
        }
        if (process.env['SLUICE_BENCH_GC_LOG'])
          await writeFile(
            `${process.env['SLUICE_BENCH_GC_LOG']}-${stage}-${event.Records.length}.log`,
            stdout,
          );
        if (!line)
          throw new Error(`lambda-memory: the ${stage} probe printed no result:\n${stdout.slice(-2000)}`);
        const parsed = JSON.parse(line) as Omit<ProbeResult, 'heapPeakMb' | 'heapCommittedPeakMb'>;
        const failures = (parsed.result as { batchItemFailures?: unknown[] }).batchItemFailures;
        if (!failures || failures.length > 0)
          throw new Error(
            `lambda-memory: the ${stage} invocation did not deliver: ${JSON.stringify(parsed.result)}`,
          );
        return {
          ...parsed,
          heapPeakMb: Math.max(heapPeakMb, parsed.heapAfterMb),
          heapCommittedPeakMb,
        };
      };

      // Raw records: ~1 MiB gzip each, inflating to just under 16 MiB, with large lines.
      ctx.log('lambda-memory: generating raw records (~1 MiB gzip → 16 MiB each) …');
      const realistic = generateLogLines({ seed: ctx.seed, count: 40_000 });
      const share = searchShare(ctx.seed, realistic);
      const maxRaw = Math.floor(PAYLOAD_LIMIT / ((RAW_GZIP_CAP * 4) / 3 + 600));
      const raw = Array.from({ length: maxRaw }, (_, i) => rawRecord(ctx.seed + i + 1, share, realistic));
      const warmRaw = makeKinesisEvent(
        generateKinesisPayloads({ seed: ctx.seed, records: 1, eventsPerRecord: 20 }).map((p) => p.gzip),
      );

      const rows: Row[] = [];
      const rawCounts = [...new Set([1, Math.ceil(maxRaw / 2), maxRaw])];
      for (const n of rawCounts) {
        const event = makeKinesisEvent(raw.slice(0, n).map((r) => r.gzip));
        const payloadBytes = Buffer.byteLength(JSON.stringify(event));
        const events = raw.slice(0, n).reduce((s, r) => {
          const d = decodeCwlData(r.gzip);
          return s + (d.kind === 'data' ? d.envelope.logEvents.length : 0);
        }, 0);
        ctx.log(`lambda-memory: transform, ${n} records (${fmt(payloadBytes / 1e6)} MB payload) …`);
        for (const flags of [[], [DEPLOYED_HEAP_FLAG]]) {
          const result = await probe(
            'transform',
            { SLUICE_EVENTS_STREAM: stream.name },
            flags,
            warmRaw,
            event,
          );
          rows.push({
            flags: flags.join(' '),
            stage: 'transform',
            records: n,
            payloadBytes,
            inflatedBytes: raw.slice(0, n).reduce((s, r) => s + r.json, 0),
            events,
            probe: result,
          });
        }
      }

      // Events records as the transform writes them (default pack, gzip, ≤ 1 MiB of NDJSON each).
      ctx.log('lambda-memory: packing events records as the transform does …');
      const normalizer = compileNormalizer({ region: 'us-east-1' });
      const filters = compileRules(undefined);
      const logEvents: LogEvent[] = [];
      for (const r of raw) {
        const d = decodeCwlData(r.gzip);
        if (d.kind !== 'data') throw new Error('lambda-memory: a generated raw record did not decode');
        for (const e of normalizer.envelope(d.envelope)) {
          const out = filters.process(e);
          if (out.kind === 'keep') logEvents.push(out.event);
        }
      }
      const packed = packEvents(logEvents).records;
      const maxSinkRecords = (() => {
        let bytes = 0;
        let n = 0;
        for (const rec of packed) {
          bytes += Math.ceil(rec.data.byteLength / 3) * 4 + 600;
          if (bytes > PAYLOAD_LIMIT || n === 100) break;
          n++;
        }
        return n;
      })();
      const warmSink = makeKinesisEvent([packed[packed.length - 1]!.data]);
      const sinkCounts = [
        ...new Set([Math.ceil(maxSinkRecords / 4), Math.ceil(maxSinkRecords / 2), maxSinkRecords]),
      ];
      // Every sink batch with Node's defaults, the largest also as deployed.
      const sinkRuns = [
        ...sinkCounts.map((n) => ({ n, flags: [] as string[] })),
        { n: maxSinkRecords, flags: [DEPLOYED_HEAP_FLAG] },
      ];
      for (const { n, flags } of sinkRuns) {
        const records = packed.slice(0, n);
        const event = makeKinesisEvent(records.map((r) => r.data));
        const prefix = `sluice-logs-memlat${uniqueName('').replace(/[^a-z0-9]/g, '')}`;
        prefixes.push(prefix);
        ctx.log(`lambda-memory: sink, ${n} records ${flags.join(' ')} …`);
        const result = await probe(
          'sink',
          { SLUICE_OPENSEARCH_ENDPOINT: services.opensearchUrl, SLUICE_INDEX_PREFIX: prefix },
          flags,
          warmSink,
          event,
        );
        rows.push({
          flags: flags.join(' '),
          stage: 'sink',
          records: n,
          payloadBytes: Buffer.byteLength(JSON.stringify(event)),
          inflatedBytes: records.reduce((s, r) => s + ndjsonBytes(r.data), 0),
          events: records.reduce((s, r) => s + r.indexes.length, 0),
          probe: result,
        });
        await dropPrefix(services.opensearchUrl, prefix);
      }
      return renderMemory(rows, share, load);
    } finally {
      for (const p of prefixes) await dropPrefix(services.opensearchUrl, p).catch(() => undefined);
      await stream.dispose().catch(() => undefined);
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
      kinesis.destroy();
      sqs.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Bytes of NDJSON an events record carries (gunzipped when the transform gzipped it). */
function ndjsonBytes(data: Uint8Array): number {
  return data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data).byteLength : data.byteLength;
}

export default suite;
