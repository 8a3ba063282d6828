import type { BenchSuite, Measurement } from '../bench/harness.js';
import { fmt, machine, measure, median, medianBy } from '../bench/harness.js';
import { jsonFloorPass } from '../bench/json-floor.js';
import { decodeCwlData } from '../ingest/decode.js';
import { generateKinesisPayloads } from '../test/factories/payloads.js';
import { compileNormalizer } from './normalize.js';

/**
 * The transform stage alone: Kinesis record data (base64 of gzip CloudWatch Logs payloads) →
 * NDJSON LogEvents, against a bare floor that does the unavoidable work on the same payloads.
 */
const suite: BenchSuite = {
  name: 'transform',
  title: 'Transform stage: decode + parse + normalise + serialise',
  async run(ctx) {
    const records = Math.max(10, Math.round(200 * ctx.scale));
    const payloads = generateKinesisPayloads({ seed: ctx.seed, records, eventsPerRecord: 100 });
    const datas = payloads.map((p) => p.base64);
    const events = payloads.reduce((n, p) => n + p.envelope.logEvents.length, 0);
    const logBytes = payloads.reduce((n, p) => n + p.logBytes, 0);
    const jsonBytes = payloads.reduce((n, p) => n + Buffer.byteLength(JSON.stringify(p.envelope)), 0);
    const gzBytes = payloads.reduce((n, p) => n + p.gzip.length, 0);
    const normalizer = compileNormalizer({ now: () => new Date(Date.UTC(2024, 4, 1, 12, 5)) });
    let sink = 0;

    // Floor: base64 → gunzip → JSON.parse(envelope) → JSON.parse of each JSON line → JSON.stringify
    // of each event's value. Nothing else: no detection, no field mapping, no validation.
    const floor = (): void => {
      sink += jsonFloorPass(datas);
    };
    // Sluice: decodeCwlData (base64, bounded gunzip, UTF-8 check, JSON, envelope check) →
    // compileNormalizer().envelope (detect, parse, normalise every field) → JSON.stringify per event.
    const sluice = (): void => {
      for (const data of datas) {
        const r = decodeCwlData(data);
        if (r.kind !== 'data') throw new Error('bench payload did not decode');
        for (const e of normalizer.envelope(r.envelope)) sink += JSON.stringify(e).length;
      }
    };

    // Paired rounds (floor, then sluice), so both see the same machine load; the median ratio counts.
    const minMs = ctx.scale < 1 ? 300 : 1200;
    const count = ctx.scale < 1 ? 3 : 5;
    const rounds: { floor: Measurement; sluice: Measurement }[] = [];
    for (let i = 0; i < count; i++) {
      ctx.log(`transform: round ${i + 1}/${count} …`);
      const f = await measure('floor', floor, { minMs, warmup: i === 0 ? 2 : 1 });
      const s = await measure('sluice', sluice, { minMs, warmup: i === 0 ? 2 : 1 });
      rounds.push({ floor: f, sluice: s });
    }
    if (sink < 0) ctx.log('unreachable');

    const cpuPerPass = (m: Measurement): number => m.cpuMs / m.iterations;
    const ratioOf = (r: (typeof rounds)[number]): number => cpuPerPass(r.floor) / cpuPerPass(r.sluice);
    const mid = medianBy(rounds, ratioOf);
    const perCore = (m: Measurement, units: number): number => (units * m.iterations) / (m.cpuMs / 1000);
    const row = (name: string, m: Measurement): string =>
      `| ${name} | ${fmt(perCore(m, logBytes) / 1e6)} | ${fmt(perCore(m, events), 0)} | ${fmt(cpuPerPass(m), 1)} | ${m.iterations} |`;
    const lineBytes = payloads.flatMap((p) => p.envelope.logEvents.map((e) => Buffer.byteLength(e.message)));
    return [
      `Input: ${records} Kinesis records × 100 CloudWatch log events (seed ${ctx.seed}), ${fmt(logBytes / 1e6)} MB of log text`,
      `(median line ${median(lineBytes)} B, largest ${fmt(Math.max(...lineBytes) / 1024, 0)} KB), gzip ratio ${fmt(jsonBytes / gzBytes)}×.`,
      `Throughput per core = work / CPU time (user + system) of this process. ${count} paired rounds`,
      '(floor, then sluice); the table shows the round with the median ratio.',
      '',
      '- floor: base64 decode + gunzip + `JSON.parse` of the envelope and of each JSON line + `JSON.stringify` of each value.',
      '- sluice: `decodeCwlData` (base64, bounded gunzip, UTF-8 check, JSON, envelope check) +',
      '  `compileNormalizer().envelope` (detect, parse, normalise every schema field) + `JSON.stringify` of each LogEvent.',
      '',
      '| variant | MB/s of log text per core | events/s per core | CPU ms per pass | passes |',
      '|---|---:|---:|---:|---:|',
      row('floor', mid.floor),
      row('sluice', mid.sluice),
      '',
      `**Ratio sluice / floor: ${fmt(ratioOf(mid), 2)}×** (target ≥ 0.70×; rounds: ${rounds.map((r) => fmt(ratioOf(r), 2)).join(', ')}).`,
      '',
      `Machine: ${machine()}.`,
    ].join('\n');
  },
};

export default suite;
