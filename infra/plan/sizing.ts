import { PLAN_ERROR_CODES, PlanError } from './errors.js';
import { FIGURES, type Figures } from './figures.js';
import {
  DATA_INSTANCE_TYPES,
  type DataInstanceType,
  MASTER_INSTANCE_TYPE,
  PRICES,
  type PriceList,
} from './prices.js';

/** The data the planner multiplies with (defaults: the repo's figures and prices). */
export interface PlanData {
  readonly figures: Figures;
  readonly prices: PriceList;
  readonly instanceTypes: readonly DataInstanceType[];
  readonly masterType: string;
}

const DEFAULT_DATA: PlanData = {
  figures: FIGURES,
  prices: PRICES,
  instanceTypes: DATA_INSTANCE_TYPES,
  masterType: MASTER_INSTANCE_TYPE,
};

/** What `sluice plan` is asked to size. */
export interface PlanInput {
  /** Average log events per second over a day. */
  readonly eventsPerSecond: number;
  /** Average size of one log event's text (the CloudWatch `message`), bytes. */
  readonly avgEventBytes: number;
  /** Days an event stays searchable in OpenSearch. */
  readonly retentionDays: number;
  /** Peak rate / average rate (default 2). */
  readonly peakFactor?: number;
  /** `production`: ≥ 3 data nodes over 3 AZs, 3 dedicated masters, 1 replica; `dev`: 1 node, 0 replicas. */
  readonly profile?: 'production' | 'dev';
}

/** Monthly cost of one part, USD. */
export interface CostLine {
  readonly part: string;
  readonly monthlyUsd: number;
  readonly detail: string;
}

/** What the planner recommends, with the numbers it derived them from. */
export interface Plan {
  readonly input: Required<PlanInput>;
  readonly load: {
    readonly logMbPerSecond: number;
    readonly peakLogMbPerSecond: number;
    readonly logGbPerDay: number;
    readonly logGbPerMonth: number;
  };
  readonly kinesis: {
    readonly mode: 'on_demand' | 'provisioned';
    readonly rawShards: number;
    readonly eventsShards: number;
    readonly peakRawMbPerSecond: number;
    readonly peakEventsMbPerSecond: number;
    readonly onDemandUsd: number;
    readonly provisionedUsd: number;
  };
  readonly lambda: {
    readonly transform: LambdaPlan;
    readonly sink: LambdaPlan;
  };
  readonly opensearch: {
    readonly instanceType: string;
    readonly instanceCount: number;
    readonly availabilityZones: 1 | 2 | 3;
    readonly dedicatedMasterType?: string;
    readonly replicas: number;
    readonly primaryGbPerDay: number;
    readonly storageGb: number;
    readonly volumeGbPerNode: number;
    readonly primaryShardsPerIndex: number;
    readonly rolloverSizeGb: number;
    readonly totalShards: number;
    /** Why this many nodes: the largest of storage, indexing CPU, shards per heap, the profile minimum. */
    readonly nodesFor: 'storage' | 'indexing' | 'shards' | 'minimum';
  };
  readonly costs: readonly CostLine[];
  readonly totalMonthlyUsd: number;
}

/** One Lambda stage's sizing. */
export interface LambdaPlan {
  readonly memoryMb: number;
  readonly batchSize: number;
  readonly parallelizationFactor: number;
  /** Concurrent executions at peak (busy seconds per second). */
  readonly peakConcurrency: number;
  readonly gbSecondsPerMonth: number;
  readonly invocationsPerMonth: number;
}

const LIMITS = {
  eventsPerSecond: [0.001, 10_000_000],
  avgEventBytes: [1, 262_144],
  retentionDays: [1, 3649], // the deploy config deletes at retention + 1 days, at most 3650
  peakFactor: [1, 100],
} as const;
const MAX_DATA_NODES = 80;
/** Largest rollover size the deploy config takes (`indices.rollover_size_gb`). */
const MAX_ROLLOVER_GB = 500;
const MAX_SHARDS_PER_STREAM = 500;

function checkRange(name: keyof typeof LIMITS, value: number, flag: string): void {
  const [min, max] = LIMITS[name];
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new PlanError(
      PLAN_ERROR_CODES.input,
      `${flag} must be a number from ${min} to ${max}, got ${Number.isFinite(value) ? value : String(value)}`,
    );
  }
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Shards of one provisioned stream for `peakMbPerS` written, within the headroom. */
export function shardsFor(peakMbPerS: number, F: Figures = FIGURES): number {
  return Math.max(1, Math.ceil(peakMbPerS / (F.shardInMbPerS.value * F.shardHeadroom.value)));
}

function lambdaStage(
  F: Figures,
  secondsPerMonth: number,
  o: {
    cpuSecondsPerGb: number;
    wallPerCpu: number;
    memoryMb: number;
    batchSize: number;
    shards: number;
    peakLogGbPerS: number;
    logGbPerMonth: number;
  },
): LambdaPlan {
  const vcpu = Math.min(1, o.memoryMb / F.lambdaMbPerVcpu.value);
  const secondsPerGb = (o.cpuSecondsPerGb * o.wallPerCpu) / vcpu;
  const peakConcurrency = o.peakLogGbPerS * secondsPerGb;
  const parallelizationFactor = Math.min(10, Math.max(1, Math.ceil(peakConcurrency / o.shards)));
  // An event source mapping invokes about once per shard and second while the stream is fed
  // (batching window 1 s), more when a batch fills sooner: an estimate, requests are cheap.
  const invocationsPerMonth = secondsPerMonth * o.shards;
  const memGb = o.memoryMb / 1024;
  const gbSecondsPerMonth =
    o.logGbPerMonth * secondsPerGb * memGb + invocationsPerMonth * (F.invokeOverheadMs.value / 1000) * memGb;
  return {
    memoryMb: o.memoryMb,
    batchSize: o.batchSize,
    parallelizationFactor,
    peakConcurrency: round(peakConcurrency, 2),
    gbSecondsPerMonth: Math.round(gbSecondsPerMonth),
    invocationsPerMonth: Math.round(invocationsPerMonth),
  };
}

function lambdaCost(p: LambdaPlan, P: PriceList): number {
  return (
    p.gbSecondsPerMonth * P.lambda.arm64PerGbSecond +
    (p.invocationsPerMonth / 1e6) * P.lambda.perMillionRequests
  );
}

/**
 * Sizes the pipeline for an average rate, event size, retention and peak factor from the
 * measured figures (`figures.ts`) and prices (`prices.ts`). Pure; throws {@link PlanError} for
 * out-of-range input or a load no listed instance type can hold.
 */
export function planCapacity(input: PlanInput, data: PlanData = DEFAULT_DATA): Plan {
  const { figures: F, prices: P } = data;
  const SECONDS_PER_MONTH = P.hoursPerMonth * 3600;
  const peakFactor = input.peakFactor ?? 2;
  const profile = input.profile ?? 'production';
  checkRange('eventsPerSecond', input.eventsPerSecond, '--events-per-second');
  checkRange('avgEventBytes', input.avgEventBytes, '--avg-event-bytes');
  checkRange('retentionDays', input.retentionDays, '--retention-days');
  checkRange('peakFactor', peakFactor, '--peak-factor');
  if (!Number.isInteger(input.retentionDays)) {
    throw new PlanError(
      PLAN_ERROR_CODES.input,
      `--retention-days must be a whole number, got ${input.retentionDays}`,
    );
  }
  if (profile !== 'production' && profile !== 'dev') {
    throw new PlanError(
      PLAN_ERROR_CODES.input,
      `--profile must be production or dev, got '${String(profile)}'`,
    );
  }
  const { eventsPerSecond: eps, avgEventBytes: bytes, retentionDays: days } = input;

  // Load.
  const logBytesPerS = eps * bytes;
  const logMbPerSecond = logBytesPerS / 1e6;
  const peakLogMbPerSecond = logMbPerSecond * peakFactor;
  const logGbPerDay = (logBytesPerS * 86_400) / 1e9;
  const logGbPerMonth = (logBytesPerS * SECONDS_PER_MONTH) / 1e9;

  // Kinesis: both streams priced both ways; the cheaper mode wins.
  const peakRaw = peakLogMbPerSecond * F.rawStreamBytesPerLogByte.value;
  const peakEvents = peakLogMbPerSecond * F.eventsStreamBytesPerLogByte.value;
  const rawGb = logGbPerMonth * F.rawStreamBytesPerLogByte.value;
  const eventsGb = logGbPerMonth * F.eventsStreamBytesPerLogByte.value;
  const k = P.kinesis;
  const onDemandUsd =
    2 * k.onDemandStreamHour * P.hoursPerMonth +
    (rawGb + eventsGb) * (k.onDemandPerGbIn + k.onDemandPerGbOut);
  let rawShards = shardsFor(peakRaw, F);
  let eventsShards = shardsFor(peakEvents, F);

  // Lambda: the transform is CPU-bound; the sink also waits on bulk responses.
  const peakLogGbPerS = peakLogMbPerSecond / 1000;
  const transformMemory = peakLogMbPerSecond < 1 ? 1024 : 1769;
  const sinkMemory = 1024;
  const transformCpu = F.transformCpuSecondsPerGb.value + F.packCpuSecondsPerGb.value;
  const sinkCpu = F.sinkCpuSecondsPerGb.value;
  const stage = (cpu: number, wall: number, memoryMb: number, shards: number): LambdaPlan =>
    lambdaStage(F, SECONDS_PER_MONTH, {
      cpuSecondsPerGb: cpu,
      wallPerCpu: wall,
      memoryMb,
      batchSize: 100,
      shards,
      peakLogGbPerS,
      logGbPerMonth,
    });
  // More shards when even 10 batches per shard cannot keep up.
  rawShards = Math.max(
    rawShards,
    Math.ceil(stage(transformCpu, 1, transformMemory, rawShards).peakConcurrency / 10),
  );
  eventsShards = Math.max(
    eventsShards,
    Math.ceil(stage(sinkCpu, F.sinkWallPerCpu.value, sinkMemory, eventsShards).peakConcurrency / 10),
  );
  if (rawShards > MAX_SHARDS_PER_STREAM || eventsShards > MAX_SHARDS_PER_STREAM) {
    throw new PlanError(
      PLAN_ERROR_CODES.tooLarge,
      `this load needs more than ${MAX_SHARDS_PER_STREAM} shards per stream (the config's limit); split it over several pipelines`,
    );
  }
  const putUnits = ((rawGb + eventsGb) * 1e9) / 25_000;
  const provisionedUsd =
    (rawShards + eventsShards) * k.provisionedShardHour * P.hoursPerMonth +
    (putUnits / 1e6) * k.provisionedPerMillionPutUnits;
  const mode = provisionedUsd < onDemandUsd ? 'provisioned' : 'on_demand';
  const transform = stage(transformCpu, 1, transformMemory, rawShards);
  const sink = stage(sinkCpu, F.sinkWallPerCpu.value, sinkMemory, eventsShards);

  // OpenSearch.
  const replicas = profile === 'production' ? 1 : 0;
  const primaryGbPerDay = logGbPerDay * F.diskBytesPerLogByte.value;
  const overhead = (1 - F.linuxReserved.value) * (1 - F.serviceReserved.value);
  // Retention counts from rollover, so one more day (the index being written) is on disk.
  const storageGb = (primaryGbPerDay * (days + 1) * (1 + replicas)) / overhead;
  // A backing index holds a day, or rolls over sooner at MAX_ROLLOVER_GB of primaries.
  const indexGb = Math.min(primaryGbPerDay, MAX_ROLLOVER_GB);
  const primaryShardsPerIndex = Math.max(1, Math.ceil(indexGb / F.targetShardGb.value));
  const rolloverSizeGb = Math.min(MAX_ROLLOVER_GB, primaryShardsPerIndex * F.targetShardGb.value);
  const indicesKept = Math.ceil((days + 1) * Math.max(1, primaryGbPerDay / rolloverSizeGb));
  const totalShards = primaryShardsPerIndex * (1 + replicas) * indicesKept;
  const peakDocsPerS = eps * peakFactor * (1 + replicas);
  const vcpusNeeded = peakDocsPerS / (F.indexDocsPerVcpuSecond.value * F.indexCpuShareAtPeak.value);
  const minNodes = profile === 'production' ? 3 : 1;
  const azs: 1 | 2 | 3 = profile === 'production' ? 3 : 1;
  let best: Plan['opensearch'] | undefined;
  let bestUsd = Number.POSITIVE_INFINITY;
  for (const t of data.instanceTypes) {
    if (t.devOnly && profile !== 'dev') continue;
    const heapGb = Math.min(t.memoryGb / 2, 32);
    const needs = {
      storage: Math.ceil(storageGb / t.maxVolumeGb),
      indexing: Math.ceil(vcpusNeeded / t.vcpu),
      shards: Math.ceil(totalShards / (F.shardsPerHeapGb.value * heapGb)),
      minimum: minNodes,
    };
    const [nodesFor, raw] = (Object.entries(needs) as [keyof typeof needs, number][]).reduce((a, b) =>
      b[1] > a[1] ? b : a,
    );
    const nodes = Math.ceil(raw / azs) * azs;
    if (nodes > MAX_DATA_NODES) continue;
    const volumeGbPerNode = Math.min(t.maxVolumeGb, Math.max(10, Math.ceil(storageGb / nodes / 10) * 10));
    const hour = P.opensearch.instanceHour[t.type] ?? Number.NaN;
    const usd = nodes * (hour * P.hoursPerMonth + volumeGbPerNode * P.opensearch.gp3PerGbMonth);
    if (usd < bestUsd) {
      bestUsd = usd;
      best = {
        instanceType: t.type,
        instanceCount: nodes,
        availabilityZones: azs,
        ...(profile === 'production' ? { dedicatedMasterType: data.masterType } : {}),
        replicas,
        primaryGbPerDay: round(primaryGbPerDay, 2),
        storageGb: Math.ceil(storageGb),
        volumeGbPerNode,
        primaryShardsPerIndex,
        rolloverSizeGb,
        totalShards,
        nodesFor,
      };
    }
  }
  if (!best) {
    throw new PlanError(
      PLAN_ERROR_CODES.tooLarge,
      `no listed instance type holds ${Math.ceil(storageGb)} GB at ${Math.round(peakDocsPerS)} docs/s in ${MAX_DATA_NODES} data nodes; shorten the retention or split the pipeline`,
    );
  }

  const os = best;
  const masterUsd = os.dedicatedMasterType
    ? 3 * (P.opensearch.instanceHour[os.dedicatedMasterType] ?? 0) * P.hoursPerMonth
    : 0;
  const dataUsd = os.instanceCount * (P.opensearch.instanceHour[os.instanceType] ?? 0) * P.hoursPerMonth;
  const storageUsd = os.instanceCount * os.volumeGbPerNode * P.opensearch.gp3PerGbMonth;
  const costs: CostLine[] = [
    {
      part: 'kinesis',
      monthlyUsd: round(mode === 'provisioned' ? provisionedUsd : onDemandUsd),
      detail:
        mode === 'provisioned'
          ? `${rawShards} + ${eventsShards} shards, provisioned`
          : `2 on-demand streams, ${round(rawGb + eventsGb, 1)} GB in and out`,
    },
    {
      part: 'lambda-transform',
      monthlyUsd: round(lambdaCost(transform, P)),
      detail: `${transform.gbSecondsPerMonth} GB-s`,
    },
    { part: 'lambda-sink', monthlyUsd: round(lambdaCost(sink, P)), detail: `${sink.gbSecondsPerMonth} GB-s` },
    {
      part: 'opensearch-data-nodes',
      monthlyUsd: round(dataUsd),
      detail: `${os.instanceCount} × ${os.instanceType}`,
    },
    ...(os.dedicatedMasterType
      ? [
          {
            part: 'opensearch-masters',
            monthlyUsd: round(masterUsd),
            detail: `3 × ${os.dedicatedMasterType}`,
          },
        ]
      : []),
    {
      part: 'opensearch-storage',
      monthlyUsd: round(storageUsd),
      detail: `${os.instanceCount} × ${os.volumeGbPerNode} GB gp3`,
    },
    { part: 'kms', monthlyUsd: P.kms.keyMonth, detail: '1 customer-managed key' },
  ];
  return {
    input: { eventsPerSecond: eps, avgEventBytes: bytes, retentionDays: days, peakFactor, profile },
    load: {
      logMbPerSecond: round(logMbPerSecond, 3),
      peakLogMbPerSecond: round(peakLogMbPerSecond, 3),
      logGbPerDay: round(logGbPerDay, 2),
      logGbPerMonth: round(logGbPerMonth, 1),
    },
    kinesis: {
      mode,
      rawShards,
      eventsShards,
      peakRawMbPerSecond: round(peakRaw, 3),
      peakEventsMbPerSecond: round(peakEvents, 3),
      onDemandUsd: round(onDemandUsd),
      provisionedUsd: round(provisionedUsd),
    },
    lambda: { transform, sink },
    opensearch: os,
    costs,
    totalMonthlyUsd: round(costs.reduce((n, c) => n + c.monthlyUsd, 0)),
  };
}
