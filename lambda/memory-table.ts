import { fmt, machine } from '../bench/harness.js';
import { heapLimitMb } from '../infra/constructs/functions.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '../ingest/decode.js';
import { KINESIS_LIMITS } from '../sinks/kinesis/pack.js';

// The lambda-memory bench's batch bounds (lambda/memory.bench.ts) and the table it writes.
/** The default `memory_mb` of both pipeline functions (infra/config/schema.ts). */
export const DEPLOYED_MEMORY_MB = 512;
/**
 * The V8 flag the CDK stack gives a function of that size (`NODE_OPTIONS`, infra/constructs/
 * functions.ts): the rows with it are the deployed configuration; the rows without are Node's
 * defaults on the bench machine, where V8 sizes its heap from all the memory it sees.
 */
export const DEPLOYED_HEAP_FLAG = `--max-old-space-size=${heapLimitMb(DEPLOYED_MEMORY_MB)}`;

/** Lambda's invocation payload limit, which bounds what an event source mapping hands over at once. */
export const PAYLOAD_LIMIT = 6 * 1000 * 1000;
/** Largest gzip payload of one raw record: Kinesis allows 1 MiB of data + partition key. */
export const RAW_GZIP_CAP = KINESIS_LIMITS.maxRecordBytes - 8 * 1024;
/** Inflated size of each raw record: just under the decoder's bound. */
export const RAW_INFLATED = DEFAULT_MAX_DECOMPRESSED_BYTES - 64 * 1024;

export interface ProbeResult {
  readonly result: unknown;
  readonly ms: number;
  readonly rssAfterWarmupMb: number;
  readonly maxRssMb: number;
  readonly heapAfterMb: number;
  readonly heapPeakMb: number;
  readonly heapCommittedPeakMb: number;
}

export interface Row {
  /** V8 flags of the probe ('' = Node's defaults). */
  readonly flags: string;
  readonly stage: 'transform' | 'sink';
  readonly records: number;
  readonly payloadBytes: number;
  readonly inflatedBytes: number;
  readonly events: number;
  readonly probe: ProbeResult;
}

export function renderMemory(rows: readonly Row[], share: number, load: string): string {
  const MB = (b: number): string => fmt(b / 1e6);
  const table = rows.map(
    (r) =>
      `| ${r.stage} | ${r.flags ? `\`${r.flags}\`` : 'defaults'} | ${r.records} | ${MB(r.payloadBytes)} | ${MB(r.inflatedBytes)} | ${r.events.toLocaleString('en-US')} | ${fmt(r.probe.rssAfterWarmupMb, 0)} | **${fmt(r.probe.maxRssMb, 0)}** | ${fmt(r.probe.heapPeakMb, 0)} | ${fmt(r.probe.heapCommittedPeakMb, 0)} | ${fmt(r.probe.ms / 1000)} |`,
  );
  const worst = (stage: Row['stage'], flags = ''): Row =>
    rows
      .filter((r) => r.stage === stage && r.flags === flags)
      .reduce((a, b) => (b.probe.maxRssMb > a.probe.maxRssMb ? b : a));
  const t = worst('transform');
  const td = worst('transform', DEPLOYED_HEAP_FLAG);
  const s = worst('sink');
  const sd = worst('sink', DEPLOYED_HEAP_FLAG);
  const verdict = (r: Row): string =>
    `${r.stage} ${fmt(r.probe.maxRssMb, 0)} MB (${r.probe.maxRssMb <= 256 ? 'met' : 'NOT met'})`;
  return [
    `Machine: ${machine()}. Each row is one invocation in a fresh \`node --trace-gc\` process running the esbuild`,
    'Lambda bundle (`lambda/bundle.ts`), after its cold start and one small warm-up invocation (the sink installs',
    'its templates then); the event is read from a file and parsed as the Lambda runtime does. Transform → moto',
    '(`PutRecords` to a 1-shard stream), sink → the OpenSearch node (a unique prefix, dropped after), dead letters → SQS on moto.',
    '',
    `- transform input: raw records of ${MB(RAW_GZIP_CAP)} MB gzip (just under Kinesis's 1 MiB) that each inflate to`,
    `  ${MB(RAW_INFLATED)} MB (just under the 16 MiB decode bound): ${Math.round(share * 100)} % of the bytes the shared`,
    '  realistic lines (with their tail up to 256 KB), the rest order-snapshot lines of 64–240 KB; as many as fit',
    `  Lambda's ${MB(PAYLOAD_LIMIT)} MB invocation payload (base64 + record metadata).`,
    '- sink input: those events through the default pack, packed as the transform packs them (≤ 1 MiB of NDJSON',
    '  per record, gzip level 1), as many records as fit 6 MB (at most the default batch size, 100).',
    '- peak RSS: `process.resourceUsage().maxRSS` of the process (what Lambda reports as Max Memory Used);',
    '  heap peak: the largest heap used before a GC (`--trace-gc`) or after the invocation; committed: the V8 heap reserved.',
    `- load average (1/5/15 min) at the start of the run: ${load} (a shared machine: the seconds column is pessimistic).`,
    '',
    '| stage | V8 heap | records | payload MB | inflated MB | events | RSS after warm-up MB | peak RSS MB | heap peak MB | heap committed MB | s |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...table,
    '',
    `Goal ≤ 256 MB peak RSS on the largest batch, Node's defaults on this machine: ${verdict(t)}, ${verdict(s)};`,
    `as deployed (\`${DEPLOYED_HEAP_FLAG}\`, what the CDK stack sets in \`NODE_OPTIONS\` of a ${DEPLOYED_MEMORY_MB} MB function): ${verdict(td)}, ${verdict(sd)}.`,
    'With its defaults V8 sizes the heap from the memory it sees here and runs a full GC only when the old',
    'generation has grown well past what is live (the `heap peak` column); the deployed rows are the same invocation',
    'with the heap bound the function has. The live set after a full GC is what a slice holds, not the batch.',
  ].join('\n');
}
