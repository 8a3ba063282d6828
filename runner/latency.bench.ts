import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { BenchSuite } from '../bench/harness.js';
import { decodeCwlData } from '../ingest/decode.js';
import { createKinesisClient } from '../sinks/kinesis/client.js';
import { decodeEventsRecord } from '../sinks/kinesis/codec.js';
import { createTestStream, motoConfig, uniqueName } from '../test/factories/aws.js';
import { dropPrefix } from '../test/factories/opensearch.js';
import { PER_CALL, type Probe, RATE, renderLatency, SEARCH_EVERY_MS, type Variant } from './latency-table.js';

const root = resolve(import.meta.dirname, '..');
const SLUICE = join(root, 'bin', 'sluice.js');
/** Events per second the producer sends, in `PutLogEvents` calls of {@link PER_CALL}. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lines a child writes on stderr, kept for the EMF figures and for errors. */
function collect(child: ChildProcess): string[] {
  const lines: string[] = [];
  let rest = '';
  const take = (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return lines;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, sleep(15_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Every record of a stream with its `ApproximateArrivalTimestamp` (ms). */
async function readArrivals(
  client: KinesisClient,
  stream: string,
): Promise<{ data: Uint8Array; arrivedAt: number }[]> {
  const out: { data: Uint8Array; arrivedAt: number }[] = [];
  for (const shard of (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? []) {
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const res = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of res.Records ?? [])
        out.push({
          data: r.Data ?? new Uint8Array(),
          arrivedAt: r.ApproximateArrivalTimestamp?.getTime() ?? Number.NaN,
        });
      if ((res.Records ?? []).length === 0) break;
      iterator = res.NextShardIterator;
    }
  }
  return out;
}

interface World {
  readonly logs: CloudWatchLogsClient;
  readonly group: string;
  readonly stream: string;
}

/**
 * Sends `count` probe events at {@link RATE}/s through `PutLogEvents` while `visible` is polled
 * every {@link SEARCH_EVERY_MS} ms for the seqs a search returns; resolves when all are seen or
 * `timeoutMs` after the last send.
 */
async function drive(
  world: World,
  run: string,
  count: number,
  visible: (fromMs: number) => Promise<number[]>,
  timeoutMs = 60_000,
): Promise<Probe[]> {
  const probes: Probe[] = [];
  let done = false;
  const searcher = (async () => {
    let unseen = 0;
    while (!done) {
      const oldest = probes.find((p, i) => i >= unseen && p.seenAt === undefined);
      if (oldest) {
        const seen = await visible(oldest.sentAt).catch(() => [] as number[]);
        const at = Date.now();
        for (const seq of seen) {
          const p = probes[seq];
          if (p && p.seenAt === undefined) p.seenAt = at;
        }
        while (probes[unseen]?.seenAt !== undefined) unseen++;
      }
      await sleep(SEARCH_EVERY_MS);
    }
  })();
  const started = Date.now();
  for (let seq = 0; seq < count; seq += PER_CALL) {
    const due = started + (seq / RATE) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    const sentAt = Date.now();
    const batch: Probe[] = [];
    for (let k = seq; k < Math.min(count, seq + PER_CALL); k++) batch.push({ seq: k, sentAt });
    probes.push(...batch);
    await world.logs.send(
      new PutLogEventsCommand({
        logGroupName: world.group,
        logStreamName: world.stream,
        logEvents: batch.map((p) => ({
          timestamp: sentAt,
          message: JSON.stringify({ level: 30, time: sentAt, msg: 'latency probe', probe: run, seq: p.seq }),
        })),
      }),
    );
  }
  const deadline = Date.now() + timeoutMs;
  while (probes.some((p) => p.seenAt === undefined) && Date.now() < deadline) await sleep(200);
  done = true;
  await searcher;
  return probes;
}

/**
 * Time to searchable: from `PutLogEvents` (CloudWatch Logs on moto, whose subscription filter puts
 * each call's events into the raw stream) to the event being returned by a search, at a steady
 * rate, through `sluice run` (moto Kinesis + the OpenSearch node) and through `sluice start`
 * (its Kinesis source on the same raw stream, SQLite, its search API).
 */
const suite: BenchSuite = {
  name: 'time-to-searchable',
  title: 'Time to searchable: PutLogEvents → search, through sluice run and sluice start',
  async run(ctx) {
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
    const count = Math.max(200, Math.round(3000 * ctx.scale));
    const services = {
      opensearchUrl: await ctx.services.opensearch(),
      awsEndpoint: await ctx.services.moto(),
    };
    const config = motoConfig(services.awsEndpoint);
    const kinesis = createKinesisClient(config);
    const logs = new CloudWatchLogsClient(config);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-latency-'));
    const cleanups: (() => Promise<unknown>)[] = [];
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    };
    /** A raw stream with a log group subscribed to it, as the deployed stack wires them. */
    const world = async (label: string) => {
      const raw = await createTestStream(kinesis, uniqueName(`sluice-lat-${label}-raw`), 1);
      cleanups.push(() => raw.dispose());
      const group = `/sluice/latency/${uniqueName(label)}`;
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      cleanups.push(() => logs.send(new DeleteLogGroupCommand({ logGroupName: group })));
      await logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: group,
          filterName: 'sluice',
          filterPattern: '',
          destinationArn: raw.arn,
          roleArn: 'arn:aws:iam::123456789012:role/sluice-cwl-to-kinesis',
        }),
      );
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'probe' }));
      return { raw, w: { logs, group, stream: 'probe' } satisfies World };
    };
    const variants: Variant[] = [];
    try {
      for (const v of [
        // `sluice run`'s own defaults first (refresh 1 s), then what moves it towards production.
        { name: 'sluice run, defaults (poll 250 ms, refresh 1 s)', args: [] as string[] },
        {
          name: 'sluice run, --poll-interval-ms 1000 (as Lambda polls)',
          args: ['--poll-interval-ms', '1000'],
        },
        {
          name: "sluice run, --refresh-interval 5s (the deployed sink's default)",
          args: ['--refresh-interval', '5s'],
        },
      ]) {
        ctx.log(`time-to-searchable: ${v.name}, ${count} events at ${RATE}/s …`);
        const { raw, w } = await world('run');
        const events = await createTestStream(kinesis, uniqueName('sluice-lat-run-events'), 1);
        cleanups.push(() => events.dispose());
        const prefix = `sluice-logs-lat${uniqueName('').replace(/[^a-z0-9]/g, '')}`;
        cleanups.push(() => dropPrefix(services.opensearchUrl, prefix));
        const child = spawn(
          process.execPath,
          [
            SLUICE,
            'run',
            '--raw-stream',
            raw.name,
            '--events-stream',
            events.name,
            '--opensearch',
            services.opensearchUrl,
            '--endpoint',
            services.awsEndpoint,
            '--index-prefix',
            prefix,
            '--checkpoint',
            join(dir, `${prefix}-checkpoint.json`),
            '--dead-letters',
            join(dir, `${prefix}-dlq.ndjson`),
            '--on-failure',
            join(dir, `${prefix}-failures.ndjson`),
            ...v.args,
          ],
          { env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const out = collect(child);
        try {
          const started = Date.now();
          while (!out.some((l) => l.includes('"stage":"sink"') && l.includes('stage started'))) {
            if (child.exitCode !== null || Date.now() - started > 60_000)
              throw new Error(`sluice run did not start:\n${out.slice(-20).join('\n')}`);
            await sleep(100);
          }
          const search = `${services.opensearchUrl}/${prefix}-*/_search`;
          const run = uniqueName('run');
          const probes = await drive(w, run, count, async (fromMs) => {
            const res = await fetch(search, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                size: 10_000,
                _source: ['attributes.seq'],
                query: { range: { '@timestamp': { gte: new Date(fromMs).toISOString() } } },
              }),
            });
            const body = (await res.json()) as {
              hits?: { hits: { _source: { attributes?: { seq?: number | string } } }[] };
            };
            return (body.hits?.hits ?? []).map((h) => Number(h._source.attributes?.seq));
          });
          variants.push({ name: v.name, probes, ...(await runHops(probes, raw.name, events.name, out)) });
        } finally {
          await stop(child);
        }
      }

      ctx.log(`time-to-searchable: sluice start, ${count} events at ${RATE}/s …`);
      const { raw, w } = await world('start');
      const port = 4700 + Math.floor(Math.random() * 200);
      const child = spawn(
        process.execPath,
        [
          SLUICE,
          'start',
          '--no-demo',
          '--quiet',
          '--port',
          String(port),
          '--data-dir',
          join(dir, 'start'),
          '--kinesis',
          raw.name,
          '--kinesis-endpoint',
          services.awsEndpoint,
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const out = collect(child);
      try {
        const api = `http://127.0.0.1:${port}/api/search`;
        const started = Date.now();
        while (
          !(await fetch(`${api}?limit=1`)
            .then((r) => r.ok)
            .catch(() => false))
        ) {
          if (child.exitCode !== null || Date.now() - started > 60_000)
            throw new Error(`sluice start did not start:\n${out.slice(-20).join('\n')}`);
          await sleep(200);
        }
        // A fresh store: every event in it is this run's.
        const run = uniqueName('start');
        const probes = await drive(w, run, count, async (fromMs) => {
          const seqs: number[] = [];
          for (let offset = 0; offset <= 10_000; offset += 500) {
            const res = await fetch(`${api}?from=${fromMs}&limit=500&offset=${offset}&buckets=1`);
            const body = (await res.json()) as { events?: { attributes?: { seq?: number | string } }[] };
            const page = body.events ?? [];
            seqs.push(...page.map((e) => Number(e.attributes?.seq)));
            if (page.length < 500) break;
          }
          return seqs;
        });
        variants.push({
          name: 'sluice start (Kinesis source, SQLite)',
          probes,
          hops: [],
          note: '',
        });
      } finally {
        await stop(child);
      }
      return renderLatency(variants, count, load);
    } finally {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
      kinesis.destroy();
      logs.destroy();
      await rm(dir, { recursive: true, force: true });
    }

    /** Where the time of `sluice run` goes, per event, from the records' arrival times. */
    async function runHops(
      probes: readonly Probe[],
      rawStream: string,
      eventsStream: string,
      out: readonly string[],
    ): Promise<Omit<Variant, 'name' | 'probes'>> {
      const rawAt = new Map<number, number>();
      for (const r of await readArrivals(kinesis, rawStream)) {
        const d = decodeCwlData(r.data);
        if (d.kind !== 'data') continue;
        for (const e of d.envelope.logEvents) {
          const seq = Number((JSON.parse(e.message) as { seq?: number }).seq);
          rawAt.set(seq, r.arrivedAt);
        }
      }
      const ingested = new Map<number, number>();
      const eventsAt = new Map<number, number>();
      for (const r of await readArrivals(kinesis, eventsStream)) {
        for (const e of decodeEventsRecord(r.data).events) {
          const seq = Number((e.attributes as { seq?: number }).seq);
          ingested.set(seq, Date.parse(e.event.ingested));
          eventsAt.set(seq, r.arrivedAt);
        }
      }
      const hop = (name: string, f: (p: Probe) => number | undefined) => ({
        name,
        ms: probes.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x)),
      });
      const sinkMs = out
        .filter((l) => l.includes('"stage":"sink"') && l.includes('"durationMs"'))
        .map((l) => Number((JSON.parse(l) as { durationMs?: number }).durationMs));
      return {
        hops: [
          hop('PutLogEvents → raw record (moto subscription delivery)', (p) =>
            rawAt.has(p.seq) ? rawAt.get(p.seq)! - p.sentAt : undefined,
          ),
          hop('raw record → normalised (transform poll wait + GetRecords + decode)', (p) =>
            ingested.has(p.seq) && rawAt.has(p.seq) ? ingested.get(p.seq)! - rawAt.get(p.seq)! : undefined,
          ),
          hop('normalised → events record (filters, pack, PutRecords)', (p) =>
            eventsAt.has(p.seq) && ingested.has(p.seq)
              ? eventsAt.get(p.seq)! - ingested.get(p.seq)!
              : undefined,
          ),
          hop('events record → searchable (sink poll wait + bulk + refresh + search poll)', (p) =>
            p.seenAt !== undefined && eventsAt.has(p.seq) ? p.seenAt - eventsAt.get(p.seq)! : undefined,
          ),
          { name: '  of which sink invocation (EMF durationMs, per batch)', ms: sinkMs },
        ],
        note: '',
      };
    }
  },
};

export default suite;
