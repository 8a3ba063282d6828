import { gunzipSync } from 'node:zlib';
import { adversarialLines, BENCH_RULES } from '../bench/filters-data.js';
import { type BenchSuite, fmt, type Measurement, measure, median } from '../bench/harness.js';
import { jsonFloorOfEnvelope } from '../bench/json-floor.js';
import { keep } from '../core/outcome.js';
import { decodeCwlData } from '../ingest/decode.js';
import { gzipPayload, makeEnvelope } from '../test/factories/cwl.js';
import { generateKinesisPayloads } from '../test/factories/payloads.js';
import { compileNormalizer, type Normalizer } from '../transform/normalize.js';
import { parseRuleFile } from './parse.js';
import { compileRules, type FilterPipeline } from './pipeline.js';
import { PRESCAN_MAX_LENGTH, textFeatures } from './redact/prescan.js';

/** gzip payloads of `lines`, 100 log events per CloudWatch envelope, and their raw text size. */
function payloads(lines: readonly string[]): { gz: Buffer[]; rawBytes: number } {
  const gz: Buffer[] = [];
  for (let i = 0; i < lines.length; i += 100)
    gz.push(
      gzipPayload(
        makeEnvelope(lines.slice(i, i + 100), {
          logGroup: '/aws/lambda/orders-prod',
          idPrefix: String(i).padStart(36, '0'),
        }),
      ),
    );
  return { gz, rawBytes: lines.reduce((n, l) => n + Buffer.byteLength(l), 0) };
}

/**
 * The bare JSON floor, on the same gzip payloads and with the same NDJSON output as the full
 * path: gunzip + `JSON.parse` of the envelope and of each JSON log line (the parse the normaliser
 * cannot avoid) + `JSON.stringify` of each parsed value into NDJSON. Nothing else: no detection,
 * no field mapping, no validation. (The transform suite's floor is the same plus base64, because
 * its input is Kinesis record data.)
 */
function floor(gz: readonly Buffer[]): number {
  let n = 0;
  for (const b of gz) {
    let out = '';
    jsonFloorOfEnvelope(gunzipSync(b).toString('utf8'), (json) => {
      out += `${json}\n`;
    });
    n += out.length;
  }
  return n;
}

/**
 * The least the redactor's design (a walk of the event reading each string in JavaScript) costs:
 * a walk of `message`, `error` and `attributes` with the pre-scan pass (`textFeatures`, the
 * redactor's first step on a string) over each string value of at most
 * {@link PRESCAN_MAX_LENGTH} characters and each key name not seen before, and nothing else: no
 * finder, no pass over longer strings, no rule, no copy. Not a filter (it keeps every event
 * unchanged); the suite reports it beside the real pipeline as the floor of that design.
 */
function walkAndPrescanOnly(): Pick<FilterPipeline, 'process'> {
  const seenKeys = new Set<string>();
  let features = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length <= PRESCAN_MAX_LENGTH) features |= textFeatures(v);
    } else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'object' && v !== null)
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        if (!seenKeys.has(k)) {
          if (seenKeys.size >= 10_000) seenKeys.clear();
          seenKeys.add(k);
          features |= textFeatures(k);
        }
        walk((v as Record<string, unknown>)[k]);
      }
  };
  return {
    process(event) {
      walk(event.message);
      walk(event.error);
      walk(event.attributes);
      // Read once so that the passes cannot be optimised away.
      if (features === -1) throw new Error('unreachable');
      return keep(event);
    },
  };
}

/** The full path: decode → normalize → filters (optional) → NDJSON (compiled once, as at cold start). */
function fullPath(
  gz: readonly Buffer[],
  normalizer: Normalizer,
  pipeline: Pick<FilterPipeline, 'process'> | undefined,
): number {
  let n = 0;
  for (const b of gz) {
    const decoded = decodeCwlData(b);
    if (decoded.kind !== 'data') throw new Error(`bench payload did not decode: ${decoded.kind}`);
    let out = '';
    for (const event of normalizer.envelope(decoded.envelope)) {
      if (!pipeline) {
        out += `${JSON.stringify(event)}\n`;
        continue;
      }
      const o = pipeline.process(event);
      if (o.kind === 'keep') out += `${JSON.stringify(o.event)}\n`;
      else if (o.kind === 'fail') throw new Error('a rule failed in the benchmark');
    }
    n += out.length;
  }
  return n;
}

const mbPerCoreSecond = (m: Measurement, rawBytes: number) =>
  (rawBytes * m.iterations) / 2 ** 20 / (m.cpuMs / 1000);

/** The `filters` suite: full path throughput per core next to the bare JSON floor. */
const suite: BenchSuite = {
  name: 'filters',
  title: 'Filters: decode → normalize → rules → serialize',
  async run(ctx) {
    const lines = Math.max(500, Math.round(20_000 * ctx.scale));
    const rules = compileRules(parseRuleFile(BENCH_RULES, 'bench-rules.yaml'), {
      secrets: { BENCH_KEY: 'bench-key' },
    });
    const packOnly = compileRules(undefined);
    const ceiling = walkAndPrescanOnly();
    const normalizer = compileNormalizer();
    const generated = generateKinesisPayloads({
      seed: ctx.seed,
      records: Math.ceil(lines / 100),
      eventsPerRecord: 100,
    });
    const realistic = {
      gz: generated.map((p) => p.gzip),
      rawBytes: generated.reduce((n, p) => n + p.logBytes, 0),
    };
    const sets = [
      ['realistic', realistic],
      ['adversarial', payloads(adversarialLines(Math.max(20, Math.round(lines / 50)), ctx.seed))],
    ] as const;
    const rows: string[] = [];
    const notes: string[] = [];
    // Paired rounds: every variant once per round, one after the other, so all see the same machine
    // load; a variant's ratio is the median over the rounds of its ratio to the floor of its round.
    const roundMs = ctx.scale < 1 ? 300 : 1200;
    const count = ctx.scale < 1 ? 3 : 5;
    for (const [name, data] of sets) {
      ctx.log(`filters: ${name} (${fmt(data.rawBytes / 2 ** 20)} MiB raw in ${data.gz.length} payloads)`);
      const variants: readonly (readonly [string, () => number])[] = [
        ['JSON floor', () => floor(data.gz)],
        ['decode+normalize+serialize', () => fullPath(data.gz, normalizer, undefined)],
        ['+ walk and pre-scan only (reference, no rules)', () => fullPath(data.gz, normalizer, ceiling)],
        ['+ default pack', () => fullPath(data.gz, normalizer, packOnly)],
        ['+ default pack + 10 rules', () => fullPath(data.gz, normalizer, rules)],
      ];
      const rounds: Measurement[][] = [];
      for (let i = 0; i < count; i++) {
        ctx.log(`filters: ${name} round ${i + 1}/${count} …`);
        const round: Measurement[] = [];
        for (const [label, fn] of variants)
          round.push(await measure(`${name}: ${label}`, fn, { minMs: roundMs, warmup: i === 0 ? 2 : 1 }));
        rounds.push(round);
      }
      const rate = (m: Measurement) => mbPerCoreSecond(m, data.rawBytes);
      /** Per round, variant `v`'s rate over the floor's rate of the same round. */
      const ratios = (v: number) => rounds.map((r) => rate(r[v]!) / rate(r[0]!));
      variants.forEach(([label], v) => {
        const mid = median(ratios(v));
        const rates = median(rounds.map((r) => rate(r[v]!)));
        rows.push(
          `| ${name}: ${label} | ${fmt(rates)} | ${fmt(mid, 2)}× | ${ratios(v)
            .map((x) => fmt(x, 2))
            .join(', ')} |`,
        );
      });
      const floorRate = median(rounds.map((r) => rate(r[0]!)));
      const full = median(ratios(4));
      const bare = median(ratios(1));
      if (floorRate < 100)
        notes.push(
          `- ${name}: the JSON floor itself runs at ${fmt(floorRate)} MB/s/core in this run, so the absolute target (≥ 100 MB/s/core) cannot be met here by any pipeline; the ratio is the measure that transfers between machines.`,
        );
      notes.push(
        `- ${name}: full path ${fmt(full, 2)}× the floor (median of ${count} paired rounds); the rules cost ${fmt((1 - full / bare) * 100, 0)} % of the unfiltered path.`,
      );
    }
    return [
      'Raw log text (the CloudWatch `message`s) per CPU-second of this process. All rows ran in the same process on the',
      'same gzip payloads (100 events each), in paired rounds (every variant once per round, one after the other); "×',
      'floor" is the median over the rounds of the ratio to the floor of the same round, "MB/s per core" the median',
      "rate, and the last column each round's ratio. The realistic set is the shared generator",
      '(`test/factories` `generateKinesisPayloads`: pino/Powertools JSON, Lambda text and platform lines, a tail of',
      'large lines); the adversarial set is `bench/filters-data.ts` `adversarialLines`.',
      '"JSON floor" is gunzip + `JSON.parse` of the envelope and of each JSON log line + `JSON.stringify` of each',
      "parsed value into NDJSON (the transform suite's floor without base64); the full path is `decodeCwlData` →",
      '`compileNormalizer().envelope` → `FilterPipeline.process` → `JSON.stringify` per kept event (NDJSON).',
      'The rules are `bench/filters-data.ts` `BENCH_RULES` (2 drop, 1 sample, 2 enrich, 1 route, 4 redact incl.',
      'partial, hash, detectors and an RE2 pattern) plus the default pack. Target: ≥ 100 MB/s/core and ≥ 0.6× the floor.',
      'The "walk and pre-scan only" row is a reference, not a filter: it visits `message`, `error` and `attributes` and',
      'runs the pre-scan (`filters/redact/prescan.ts` `textFeatures`) once on each string of at most 64 characters and',
      'each new key name, with no finder, rule or copy: the least the redactor (a walk reading each string) can cost.',
      '',
      '| variant | MB/s per core | × floor | rounds |',
      '|---|---|---|---|',
      ...rows,
      '',
      ...notes,
      '',
      'The adversarial set (long match-free text, near-miss card numbers, lone `@` / `eyJ` / `:` fragments, runs',
      'of `1.`, repeated `password` and `-----BEGIN`) is reported separately; it checks that no detector goes',
      'super-linear, not the everyday rate.',
    ].join('\n');
  },
};

export default suite;
