/**
 * What our own benchmarks measured, and the few assumptions `sluice plan` adds to them. Every
 * measured figure names the bench command and the docs/benchmarks.md section it comes from;
 * re-run the command and update the figure (and `measuredOn`) when the code paths change.
 * Machine of these runs: AMD EPYC × 2 (shared), Node 20, linux x64 — Lambda arm64 (Graviton)
 * is taken as equally fast per vCPU, which is an assumption, not a measurement.
 */
export interface Figure {
  readonly value: number;
  readonly unit: string;
  /** `bench`: measured by the command in `source`; `assumption`: a stated rule of thumb. */
  readonly kind: 'bench' | 'assumption';
  readonly source: string;
}

const bench = (value: number, unit: string, source: string): Figure => ({
  value,
  unit,
  kind: 'bench',
  source,
});
const assume = (value: number, unit: string, source: string): Figure => ({
  value,
  unit,
  kind: 'assumption',
  source,
});

/** Dates of the bench runs the measured figures come from (each figure's `source` names its run). */
export const FIGURES_MEASURED_ON =
  '2026-11-26 (throughput), 2026-12-05 (sizes) and 2026-12-06 (CPU, packing)';

export const FIGURES = {
  /**
   * Transform Lambda CPU per GB of raw log text: decode + normalise + the default rules pack +
   * serialise (filters suite, "realistic: + default pack", 40.5 MB/s per core → 1000/40.5).
   */
  transformCpuSecondsPerGb: bench(
    24.7,
    'CPU-s per GB of log text',
    '`node bin/sluice.js bench --only filters --no-write` (2026-12-06): docs/benchmarks.md "Filters", realistic + default pack 40.5 MB/s/core',
  ),
  /**
   * Packing the transform's output into gzip Kinesis records, per GB of log text: kinesis-pack
   * suite (pack+gzip 109.75 CPU ms per 11.9 MB of NDJSON = 9.2 s/GB of NDJSON) × JSON documents
   * per byte of log text (1.41, below).
   */
  packCpuSecondsPerGb: bench(
    13.0,
    'CPU-s per GB of log text',
    '`node bin/sluice.js bench --only kinesis-pack --no-write` (2026-12-06): "Kinesis packing", pack+gzip 109.75 ms per 11.9 MB NDJSON, × 1.41',
  ),
  /**
   * Sink Lambda CPU per GB of log text: the opensearch suite's end-to-end figure (decode +
   * normalise + sink.write) — its decode of CloudWatch payloads stands in for the sink's decode of
   * the gzip NDJSON events records (same work: gunzip + JSON.parse), so this is an upper bound.
   */
  sinkCpuSecondsPerGb: bench(
    31.3,
    'CPU-s per GB of log text',
    '`node bin/sluice.js bench --only opensearch --no-write` (2026-12-06): "OpenSearch sink", end to end 31.3 client CPU-s/GB',
  ),
  /** JSON documents (normalised LogEvents) per byte of log text: 27.4 MB / 19.4 MB. */
  jsonBytesPerLogByte: bench(
    1.41,
    'bytes per byte',
    '`node bin/sluice.js bench --only opensearch --no-write` (2026-11-26): "OpenSearch sink", 19.4 MB log text → 27.4 MB JSON',
  ),
  /** Raw stream bytes (CloudWatch Logs gzip payloads) per byte of log text: 198 B / 971 B per event. */
  rawStreamBytesPerLogByte: bench(
    0.204,
    'bytes per byte',
    '`node bin/sluice.js bench --only opensearch --no-write` (2026-12-05): "OpenSearch sink", sizes per event, gzip payload 198 B / log text 971 B',
  ),
  /** Events stream bytes (gzip NDJSON records) per byte of log text: 5.2 MB / 19.4 MB. */
  eventsStreamBytesPerLogByte: bench(
    0.27,
    'bytes per byte',
    '`node bin/sluice.js bench --only kinesis-pack --no-write` (2026-11-26): "Kinesis packing", gzip 27.4 → 5.2 MB for 19.4 MB of log text',
  ),
  /**
   * Bytes on disk per byte of log text (primaries, one segment, the shipped template settings):
   * the opensearch suite's 1,200 B on disk per document / 971 B of log text per event.
   */
  diskBytesPerLogByte: bench(
    1.24,
    'bytes per byte',
    '`node bin/sluice.js bench --only opensearch --no-write` (2026-12-06): "OpenSearch sink", sizes per event, on disk 1,200 B / log text 971 B',
  ),
  /**
   * Documents per second one OpenSearch vCPU indexes: the sink's 5,501 docs/s on a 2-core node
   * that shared both cores with the client — a lower bound.
   */
  indexDocsPerVcpuSecond: bench(
    2750,
    'docs/s per vCPU',
    '`node bin/sluice.js bench --only opensearch --no-write` (2026-11-26): "OpenSearch sink", sink 5,501 docs/s on 2 shared cores',
  ),
  /** Largest share of a data node's vCPUs indexing may use at peak (room for search, merges). */
  indexCpuShareAtPeak: assume(0.5, 'share', 'AWS: keep CPUUtilization under ~60 % in normal operation'),
  /** Wall time of the sink per CPU-second: it waits on bulk responses (not measured on AWS). */
  sinkWallPerCpu: assume(3, 'wall-s per CPU-s', 'assumption: bulk round trips ≈ 2× the client CPU'),
  /** Fixed cost of one Lambda invocation (runtime hand-off, metrics flush). */
  invokeOverheadMs: assume(20, 'ms', 'assumption'),
  /** OpenSearch Service storage overheads (AWS sizing guide): OS reserve 5 %, service 20 %. */
  linuxReserved: assume(0.05, 'share', 'AWS OpenSearch Service sizing: 5 % reserved by the file system'),
  serviceReserved: assume(0.2, 'share', 'AWS OpenSearch Service sizing: 20 % (≤ 20 GiB) per node'),
  /** Target primary shard size for log data (AWS: 10–50 GiB; logs toward the top). */
  targetShardGb: assume(30, 'GB', 'AWS shard sizing guidance for logs: 10–50 GiB'),
  /** Shards per GiB of JVM heap (AWS guidance: ≤ 25). */
  shardsPerHeapGb: assume(
    20,
    'shards per GiB heap',
    'AWS: at most 25 shards per GiB of heap; 20 leaves room',
  ),
  /** Lambda vCPU share per MB of memory: 1,769 MB = 1 vCPU (AWS Lambda docs). */
  lambdaMbPerVcpu: assume(1769, 'MB per vCPU', 'AWS Lambda: 1,769 MB of memory = one vCPU'),
  /** Kinesis shard limits (AWS): 1 MB/s or 1,000 records/s in; 2 MB/s out per consumer. */
  shardInMbPerS: assume(1, 'MB/s', 'Kinesis Data Streams shard write limit'),
  /** Headroom kept under the shard limit at peak. */
  shardHeadroom: assume(0.8, 'share', 'assumption: plan shards for 80 % of their limit at peak'),
} as const satisfies Record<string, Figure>;

/** The shape of {@link FIGURES} (tests hand the planner their own round numbers). */
export type Figures = { readonly [K in keyof typeof FIGURES]: Figure };
