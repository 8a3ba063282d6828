import type { Client } from '@opensearch-project/opensearch';
import { type BenchSuite, fmt, median } from '../../bench/harness.js';
import { jsonFloorPass } from '../../bench/json-floor.js';
import { decodeCwlData } from '../../ingest/decode.js';
import { generateKinesisPayloads } from '../../test/factories/payloads.js';
import { compileNormalizer } from '../../transform/normalize.js';
import type { LogEvent } from '../../transform/schema.js';
import { decodeEventsRecord } from '../kinesis/codec.js';
import { packEvents } from '../kinesis/pack.js';
import { compileStreamNamer, documentId, type EncodedEvent, encodeEvent } from './body.js';
import { createOpenSearchClient } from './client.js';
import { parseSinkConfig } from './config.js';
import { setupOpenSearch } from './setup.js';
import { createOpenSearchSink } from './sink.js';

const FAMILY = 'sluice-logs-bench';
const BULK_BYTES = 5 * 1024 * 1024;
const CONCURRENCY = 2;
const FLOOR_PASSES = 3;

interface Run {
  wallMs: number;
  cpuMs: number;
  ok: number;
}

async function timed(fn: () => Promise<number>): Promise<Run> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ok = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, ok };
}

async function dropStreams(client: Client, prefix: string): Promise<void> {
  await client.transport.request({ method: 'DELETE', path: `/_data_stream/${prefix}-*` }, { ignore: [404] });
}

/**
 * The OpenSearch sink against a real node: (1) docs/s through the sink versus the client's plain
 * `helpers.bulk` on the same documents (same `_id`s, data streams, request size and concurrency),
 * in alternating rounds; (2) client CPU-seconds per GB of raw log text end to end
 * (decode → normalise → sink). The node runs in its own process, so its CPU is not counted.
 */
const suite: BenchSuite = {
  name: 'opensearch',
  title: 'OpenSearch sink: throughput vs helpers.bulk, client CPU per GB',
  async run(ctx) {
    const url = await ctx.services.opensearch();
    const client = createOpenSearchClient({ node: url, requestTimeoutMs: 120_000 });
    try {
      await setupOpenSearch(
        client,
        parseSinkConfig({ index_prefix: FAMILY, replicas: 0, refresh_interval: '30s' }),
      );
      const records = Math.max(10, Math.round(200 * ctx.scale));
      const payloads = generateKinesisPayloads({ seed: ctx.seed, records, eventsPerRecord: 100 });
      const logBytes = payloads.reduce((n, p) => n + p.logBytes, 0);
      const normalizer = compileNormalizer({ now: () => new Date(Date.UTC(2024, 4, 1, 12, 5)) });
      const events: LogEvent[] = payloads.flatMap((p) => normalizer.envelope(p.envelope));
      const docBytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);

      // (1) Paired throughput rounds; a fresh prefix per round and variant so every document is new.
      const rounds = ctx.scale < 1 ? 2 : 6;
      const sinkRuns: Run[] = [];
      const helperRuns: Run[] = [];
      const viaSink = (prefix: string) => async (): Promise<number> => {
        const sink = createOpenSearchSink({
          client,
          indexPrefix: prefix,
          config: { setup_on_first_write: false, max_bulk_bytes: BULK_BYTES, concurrency: CONCURRENCY },
        });
        const report = await sink.write(events);
        return report.counts.indexed;
      };
      const viaHelper = (prefix: string) => async (): Promise<number> => {
        const streamOf = compileStreamNamer(prefix, 'service');
        const stats = await client.helpers.bulk({
          datasource: events,
          onDocument: (e: LogEvent) => ({ create: { _index: streamOf(e), _id: documentId(e) } }),
          flushBytes: BULK_BYTES,
          concurrency: CONCURRENCY,
        });
        return stats.successful;
      };
      for (let i = 0; i < rounds; i++) {
        ctx.log(`opensearch: round ${i + 1}/${rounds} …`);
        const order = i % 2 === 0 ? (['sink', 'helper'] as const) : (['helper', 'sink'] as const);
        for (const variant of order) {
          const prefix = `${FAMILY}-r${i}${variant[0]}`;
          const run = await timed(variant === 'sink' ? viaSink(prefix) : viaHelper(prefix));
          if (run.ok !== events.length)
            ctx.log(`opensearch: ${variant} indexed ${run.ok} of ${events.length}`);
          (variant === 'sink' ? sinkRuns : helperRuns).push(run);
          await dropStreams(client, prefix);
        }
      }
      const docsPerS = (r: Run): number => (events.length / r.wallMs) * 1000;
      const sinkRate = median(sinkRuns.map(docsPerS));
      const helperRate = median(helperRuns.map(docsPerS));
      // Paired: each round's sink/helper ratio (both ran back to back), then the median.
      const pairedRatio = median(sinkRuns.map((r, i) => docsPerS(r) / docsPerS(helperRuns[i] as Run)));
      const cpuRatio = median(sinkRuns.map((r, i) => (helperRuns[i] as Run).cpuMs / r.cpuMs));
      const cpuPerK = (runs: Run[]): number => median(runs.map((r) => (r.cpuMs / events.length) * 1000));

      // (2) End to end: base64 gzip payloads → decode → normalise → sink.write per 10 records,
      // each pass right after the bare JSON floor on the same payloads (paired: same machine load).
      const datas = payloads.map((p) => p.base64);
      let floorChars = jsonFloorPass(datas); // warm-up
      const floorCpuMs = (): number => {
        const c0 = process.cpuUsage();
        for (let k = 0; k < FLOOR_PASSES; k++) floorChars += jsonFloorPass(datas);
        const c = process.cpuUsage(c0);
        return (c.user + c.system) / 1000 / FLOOR_PASSES;
      };
      const e2e: { total: number; transform: number; floor: number; stream: number }[] = [];
      // Paired with each pass: the same end-to-end run without the rollover dedup check
      // (`dedup_across_rollover: false`), order alternating: what the check's one extra
      // `GET _data_stream` (made once, kept across writes) and `_index` checks cost when no stream has rolled over.
      const check: { on: Run; off: Run }[] = [];
      // `stream`: both Lambda stages, through the events stream's codec: the transform packs each
      // batch as the transform Lambda does (`packEvents`, gzip), the sink decodes the records as the
      // sink Lambda does (`decodeEventsRecord`) and forwards each line (`writeEncoded`).
      const endToEnd = async (
        prefix: string,
        dedup: boolean,
        stream = false,
      ): Promise<{ run: Run; transformCpu: number }> => {
        const sink = createOpenSearchSink({
          client,
          indexPrefix: prefix,
          config: { setup_on_first_write: false, dedup_across_rollover: dedup },
        });
        let transformCpu = 0;
        const run = await timed(async () => {
          let ok = 0;
          for (let k = 0; k < payloads.length; k += 10) {
            const c0 = process.cpuUsage();
            const batch: LogEvent[] = [];
            for (const p of payloads.slice(k, k + 10)) {
              const r = decodeCwlData(p.base64);
              if (r.kind === 'data') batch.push(...normalizer.envelope(r.envelope));
            }
            if (!stream) {
              const c = process.cpuUsage(c0);
              transformCpu += (c.user + c.system) / 1000;
              ok += (await sink.write(batch)).counts.indexed;
              continue;
            }
            const { records } = packEvents(batch);
            const c = process.cpuUsage(c0);
            transformCpu += (c.user + c.system) / 1000;
            const lines: EncodedEvent[] = [];
            for (const record of records) {
              const decoded = decodeEventsRecord(record.data);
              for (const [j, e] of decoded.events.entries()) lines.push(encodeEvent(e, decoded.lines[j]));
            }
            ok += (await sink.writeEncoded(lines)).counts.indexed;
          }
          return ok;
        });
        if (run.ok !== events.length) ctx.log(`opensearch: end-to-end indexed ${run.ok} of ${events.length}`);
        await dropStreams(client, prefix);
        return { run, transformCpu };
      };
      for (let i = 0; i < (ctx.scale < 1 ? 1 : 3); i++) {
        ctx.log(`opensearch: end-to-end pass ${i + 1} …`);
        const floor = floorCpuMs();
        const off = i % 2 === 0 ? undefined : await endToEnd(`${FAMILY}-n${i}`, false);
        const on = await endToEnd(`${FAMILY}-e${i}`, true);
        const offRun = off ?? (await endToEnd(`${FAMILY}-n${i}`, false));
        const viaStream = await endToEnd(`${FAMILY}-s${i}`, true, true);
        e2e.push({ total: on.run.cpuMs, transform: on.transformCpu, floor, stream: viaStream.run.cpuMs });
        check.push({ on: on.run, off: offRun.run });
      }
      const checkWall = median(check.map((c) => c.on.wallMs / c.off.wallMs));
      const checkCpu = median(check.map((c) => c.on.cpuMs / c.off.cpuMs));
      // (3) Bytes on disk: the documents once more, through the sink with the shipped template
      // settings, then refreshed and force-merged to one segment (what an index settles to after
      // rollover); primaries only, so replicas multiply it.
      ctx.log('opensearch: bytes on disk …');
      const diskPrefix = `${FAMILY}-disk`;
      await setupOpenSearch(client, parseSinkConfig({ index_prefix: diskPrefix, replicas: 0 }));
      const diskSink = createOpenSearchSink({
        client,
        indexPrefix: diskPrefix,
        config: { setup_on_first_write: false },
      });
      const diskIndexed = (await diskSink.write(events)).counts.indexed;
      const backing = `.ds-${diskPrefix}-*`;
      await client.transport.request({
        method: 'POST',
        path: `/${backing}/_refresh`,
        querystring: { expand_wildcards: 'all' },
      });
      await client.transport.request({
        method: 'POST',
        path: `/${backing}/_forcemerge`,
        querystring: { max_num_segments: 1, expand_wildcards: 'all' },
      });
      const stats = (
        await client.transport.request({
          method: 'GET',
          path: `/${backing}/_stats/store,docs`,
          querystring: { expand_wildcards: 'all' },
        })
      ).body as { _all: { primaries: { store: { size_in_bytes: number }; docs: { count: number } } } };
      const diskBytes = stats._all.primaries.store.size_in_bytes;
      const diskDocs = stats._all.primaries.docs.count;
      if (diskIndexed !== events.length || diskDocs !== events.length)
        ctx.log(`opensearch: disk pass indexed ${diskIndexed}, counted ${diskDocs} of ${events.length}`);
      await dropStreams(client, diskPrefix);
      const gzipBytes = payloads.reduce((n, p) => n + p.gzip.length, 0);

      const gb = logBytes / 1e9;
      const cpuPerGb = median(e2e.map((r) => r.total / 1000 / gb));
      const transformPerGb = median(e2e.map((r) => r.transform / 1000 / gb));
      const floorPerGb = median(e2e.map((r) => r.floor / 1000 / gb));
      const overFloor = median(e2e.map((r) => r.total / r.floor));
      const streamPerGb = median(e2e.map((r) => r.stream / 1000 / gb));
      const streamOverFloor = median(e2e.map((r) => r.stream / r.floor));
      if (floorChars < 0) ctx.log('unreachable');

      return [
        `Input: ${records} CloudWatch payloads × 100 events from the \`test/factories\` generator (seed ${ctx.seed}):`,
        `${events.length} documents, ${fmt(logBytes / 1e6)} MB of log text, ${fmt(docBytes / 1e6)} MB as JSON documents.`,
        `Node: ${process.env.SLUICE_BENCH_OPENSEARCH_URL ? 'the one SLUICE_BENCH_OPENSEARCH_URL names' : 'own OpenSearch 2.19.1 node started by `npm run bench` (1 GiB heap, 0 replicas)'};`,
        `both variants send ≤ 5 MiB bulk requests, ${CONCURRENCY} in flight, \`create\` with the same \`_id\`s into the same data streams.`,
        `${rounds} rounds, order alternating; medians shown. The node runs on the same 2-core machine, so docs/s is`,
        'bounded by it and noisy under load: read the paired ratio, not the absolute rates.',
        '',
        '| variant | docs/s (wall) | client CPU ms / 1k docs |',
        '| --- | ---: | ---: |',
        `| sink (\`createOpenSearchSink\`) | ${fmt(sinkRate, 0)} | ${fmt(cpuPerK(sinkRuns), 1)} |`,
        `| plain \`client.helpers.bulk\` | ${fmt(helperRate, 0)} | ${fmt(cpuPerK(helperRuns), 1)} |`,
        '',
        `**Sink / helpers.bulk throughput: ${fmt(pairedRatio, 2)}×** (median of the per-round ratios; target ≥ 1.0×);`,
        `client CPU per document: helpers.bulk / sink = ${fmt(cpuRatio, 2)}× (> 1 means the sink uses less).`,
        '',
        `End to end (base64 gzip CWL payloads → \`decodeCwlData\` → \`normalizer.envelope\` → \`sink.write\` per 1,000 events):`,
        `**${fmt(cpuPerGb, 1)} client CPU-seconds per GB of raw log text** (target ≤ 15), of which decode + normalise`,
        `${fmt(transformPerGb, 1)} s/GB and the sink (serialise, ` +
          '`_id`' +
          `, bulk I/O, response handling) ${fmt(cpuPerGb - transformPerGb, 1)} s/GB.`,
        `Bare JSON floor on the same payloads in the same run (base64 + gunzip + \`JSON.parse\` of the envelope and of`,
        `each JSON line + \`JSON.stringify\` of each value, no I/O; ${FLOOR_PASSES} passes before each end-to-end pass):`,
        `${fmt(floorPerGb, 1)} s/GB, so **end to end = ${fmt(overFloor, 2)}× the floor** (median of the per-pass ratios;`,
        'this ratio, unlike the absolute s/GB, carries over between machines).',
        `Both Lambda stages through the events stream's codec, in the same passes (the transform adds \`packEvents\`:`,
        'each event serialised once, gzip level 1; the sink adds gunzip, `JSON.parse` and schema validation of each',
        `line in \`decodeEventsRecord\` and forwards the line as the document with \`writeEncoded\`): ${fmt(streamPerGb, 1)} s/GB,`,
        `**${fmt(streamOverFloor, 2)}× the floor** (median of the per-pass ratios).`,
        '',
        `Sizes per event (the capacity planner \`sluice plan\` reads these; \`infra/plan/figures.ts\`):`,
        `log text ${fmt(logBytes / events.length, 0)} B, CloudWatch gzip payload ${fmt(gzipBytes / events.length, 0)} B,`,
        `JSON document ${fmt(docBytes / events.length, 0)} B, **on disk ${fmt(diskBytes / diskDocs, 0)} B per document**`,
        `(primaries, after \`_forcemerge\` to one segment, shipped template settings; ${fmt(diskBytes / logBytes, 2)}× the log text).`,
        '',
        `Rollover dedup check (\`dedup_across_rollover\`: \`GET _data_stream\` when a write names a stream not seen yet, \`_index\` of each bulk item checked; no stream rolled over),`,
        `same end-to-end run with / without it, paired per pass: **wall ${fmt(checkWall, 2)}×, client CPU ${fmt(checkCpu, 2)}×**`,
        '(medians of the per-pass ratios; 1.00× = free).',
      ].join('\n');
    } finally {
      await client.close();
    }
  },
};

export default suite;
