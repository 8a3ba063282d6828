import type { BenchSuite, Measurement } from '../../bench/harness.js';
import { fmt, machine, measure, medianBy } from '../../bench/harness.js';
import { seededRandom as rng } from '../../core/random.js';
import { makeLogEvent } from '../../test/factories/kinesis.js';
import { generateKinesisPayloads } from '../../test/factories/payloads.js';
import { compileNormalizer } from '../../transform/normalize.js';
import type { LogEvent } from '../../transform/schema.js';
import { batchRecords, packEvents } from './pack.js';

/**
 * Packing the transform stage's output into Kinesis records: `packEvents` (group by partition
 * key, 1 MiB records incl. key, byte accounting) + `batchRecords` (500 records / 5 MiB) against a
 * floor that only serialises the same events into one NDJSON buffer.
 */
const suite: BenchSuite = {
  name: 'kinesis-pack',
  title: 'Kinesis packing: events → NDJSON records → PutRecords requests',
  async run(ctx) {
    const random = rng(ctx.seed);
    const count = Math.max(500, Math.round(20_000 * ctx.scale));
    const transactions = Math.max(10, Math.round(count / 8));
    const events: LogEvent[] = Array.from({ length: count }, (_, i) =>
      makeLogEvent(i, {
        transactionId: random() < 0.9 ? `tx-${Math.floor(random() * transactions)}` : undefined,
        message: 'x'.repeat(40 + Math.floor(random() * 400)),
        attributes: { route: '/orders', status: 200, durationMs: Math.floor(random() * 1000) },
      }),
    );
    let sink = 0;
    const floor = (): void => {
      sink += Buffer.from(events.map((e) => JSON.stringify(e)).join('\n'), 'utf8').byteLength;
    };
    const pack = (): void => {
      const { records } = packEvents(events, { compression: 'none' });
      sink += batchRecords(records).length;
    };
    const packGzip = (): void => {
      const { records } = packEvents(events);
      sink += batchRecords(records).length;
    };
    const minMs = ctx.scale < 1 ? 400 : 2000;
    const rounds: { floor: Measurement; pack: Measurement; gzip: Measurement }[] = [];
    for (let i = 0; i < 3; i++) {
      ctx.log(`kinesis-pack: round ${i + 1}/3 …`);
      rounds.push({
        floor: await measure('floor', floor, { minMs, warmup: i === 0 ? 2 : 1 }),
        pack: await measure('pack', pack, { minMs, warmup: i === 0 ? 2 : 1 }),
        gzip: await measure('pack+gzip', packGzip, { minMs, warmup: i === 0 ? 2 : 1 }),
      });
    }
    if (sink < 0) ctx.log('unreachable');
    const cpu = (m: Measurement): number => m.cpuMs / m.iterations;
    const ratio = (r: (typeof rounds)[number]): number => cpu(r.floor) / cpu(r.pack);
    const mid = medianBy(rounds, ratio);
    const { records } = packEvents(events, { compression: 'none' });
    const bytes = records.reduce((n, r) => n + r.bytes, 0);
    const gzipped = packEvents(events).records;
    const gzBytes = gzipped.reduce((n, r) => n + r.bytes, 0);
    // The input above repeats one character in its messages (it measures packing, not entropy):
    // the compression ratio is read on the shared realistic generator's normalised events instead.
    const normalizer = compileNormalizer();
    const realistic = generateKinesisPayloads({ seed: ctx.seed, records: 200, eventsPerRecord: 100 }).flatMap(
      (p) => normalizer.envelope(p.envelope),
    );
    const sum = (rs: readonly { bytes: number }[]): number => rs.reduce((n, r) => n + r.bytes, 0);
    const realPlain = sum(packEvents(realistic, { compression: 'none' }).records);
    const realGzip = sum(packEvents(realistic).records);
    // Billing: provisioned streams charge one PUT payload unit per started 25 KB of a record.
    const units = (rs: readonly { bytes: number }[]): number =>
      rs.reduce((n, r) => n + Math.ceil(r.bytes / 25_600), 0);
    const perTx = packEvents(events, { partitionBuckets: 0, compression: 'none' }).records;
    const row = (name: string, m: Measurement): string =>
      `| ${name} | ${fmt((count * m.iterations) / (m.cpuMs / 1000), 0)} | ${fmt(cpu(m), 2)} | ${m.iterations} |`;
    return [
      `Input: ${count} LogEvents (seed ${ctx.seed}), ${transactions} transactions (10% without one), ` +
        `${fmt(bytes / 1e6)} MB of NDJSON → ${records.length} Kinesis records in ${batchRecords(records).length} PutRecords requests.`,
      'Three paired rounds (floor, then pack); the table shows the round with the median ratio.',
      '',
      '- floor: `JSON.stringify` of each event, joined as one NDJSON buffer.',
      '- pack: `packEvents` with `compression: none` (partition key per event: bucket of the transaction key, 128 buckets; group by key, 1 MiB limit incl. key) + `batchRecords`.',
      '- pack+gzip: the same with the default `compression: gzip` (each record gzipped at level 1).',
      '',
      `Bytes on the stream, records and PUT payload units (25 KB each, provisioned billing) for this input: ` +
        `gzip + 128 buckets (the default) ${fmt(gzBytes / 1e6)} MB, ${gzipped.length} records, ${units(gzipped)} units; ` +
        `plain + 128 buckets ${fmt(bytes / 1e6)} MB, ${records.length} records, ${units(records)} units; ` +
        `plain keyed by transaction alone (\`SLUICE_EVENTS_PARTITION_BUCKETS=0\`, \`SLUICE_EVENTS_COMPRESSION=none\`) ` +
        `${fmt(perTx.reduce((n, r) => n + r.bytes, 0) / 1e6)} MB, ${perTx.length} records, ${units(perTx)} units. ` +
        `On the realistic generator's ${realistic.length} normalised events (test/factories, seed ${ctx.seed}) gzip sends ` +
        `${fmt(realPlain / realGzip, 1)}× fewer bytes (${fmt(realPlain / 1e6)} → ${fmt(realGzip / 1e6)} MB; ` +
        `on-demand streams bill per GB in and per GB out).`,
      '',
      '| variant | events/s per core | CPU ms per pass | passes |',
      '|---|---:|---:|---:|',
      row('floor', mid.floor),
      row('pack', mid.pack),
      row('pack+gzip', mid.gzip),
      '',
      `**Ratio pack / floor: ${fmt(ratio(mid), 2)}×** (rounds: ${rounds.map((r) => fmt(ratio(r), 2)).join(', ')}); ` +
        `pack+gzip / floor in the same round: ${fmt(cpu(mid.floor) / cpu(mid.gzip), 2)}×.`,
      '',
      `Machine: ${machine()}.`,
    ].join('\n');
  },
};

export default suite;
