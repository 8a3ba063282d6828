import { describe, expect, it } from 'vitest';
import { PLAN_ERROR_CODES, PlanError } from './errors.js';
import { FIGURES, type Figure, type Figures } from './figures.js';
import { PRICES, type PriceList } from './prices.js';
import { type PlanData, type PlanInput, planCapacity, shardsFor } from './sizing.js';

// Round figures and prices, so every expectation below can be worked by hand (in the comments).
const set = (f: Figure, value: number): Figure => ({ ...f, value });
const figures: Figures = {
  ...FIGURES,
  transformCpuSecondsPerGb: set(FIGURES.transformCpuSecondsPerGb, 20),
  packCpuSecondsPerGb: set(FIGURES.packCpuSecondsPerGb, 10), // transform: 30 CPU-s per GB
  sinkCpuSecondsPerGb: set(FIGURES.sinkCpuSecondsPerGb, 20),
  sinkWallPerCpu: set(FIGURES.sinkWallPerCpu, 2), // sink: 40 wall-s per GB at 1 vCPU
  rawStreamBytesPerLogByte: set(FIGURES.rawStreamBytesPerLogByte, 0.25),
  eventsStreamBytesPerLogByte: set(FIGURES.eventsStreamBytesPerLogByte, 0.25),
  diskBytesPerLogByte: set(FIGURES.diskBytesPerLogByte, 1),
  indexDocsPerVcpuSecond: set(FIGURES.indexDocsPerVcpuSecond, 2000),
  indexCpuShareAtPeak: set(FIGURES.indexCpuShareAtPeak, 0.5), // 1,000 docs/s per vCPU at peak
  invokeOverheadMs: set(FIGURES.invokeOverheadMs, 0),
  linuxReserved: set(FIGURES.linuxReserved, 0.2),
  serviceReserved: set(FIGURES.serviceReserved, 0.375), // 0.8 × 0.625: usable = half the volume
  targetShardGb: set(FIGURES.targetShardGb, 50),
  shardsPerHeapGb: set(FIGURES.shardsPerHeapGb, 20),
  lambdaMbPerVcpu: set(FIGURES.lambdaMbPerVcpu, 2048), // 1,024 MB = half a vCPU
  shardInMbPerS: set(FIGURES.shardInMbPerS, 1),
  shardHeadroom: set(FIGURES.shardHeadroom, 0.5), // 0.5 MB/s per shard
};
const prices: PriceList = {
  ...PRICES,
  hoursPerMonth: 1000, // 3.6 M seconds
  kinesis: {
    onDemandStreamHour: 0.1,
    onDemandPerGbIn: 0.1,
    onDemandPerGbOut: 0.1,
    provisionedShardHour: 0.01,
    provisionedPerMillionPutUnits: 1,
  },
  lambda: { arm64PerGbSecond: 0.00001, perMillionRequests: 1 },
  opensearch: {
    gp3PerGbMonth: 0.1,
    instanceHour: { 'small.search': 0.1, 'big.search': 0.3, 'master.search': 0.05 },
  },
  kms: { keyMonth: 1 },
};
const data: PlanData = {
  figures,
  prices,
  instanceTypes: [
    { type: 'small.search', vcpu: 2, memoryGb: 16, maxVolumeGb: 1000 }, // heap 8 GiB
    { type: 'big.search', vcpu: 8, memoryGb: 64, maxVolumeGb: 4000 }, // heap 32 GiB
  ],
  masterType: 'master.search',
};
const plan = (input: PlanInput, d: PlanData = data) => planCapacity(input, d);
const cost = (p: ReturnType<typeof plan>, part: string) => p.costs.find((c) => c.part === part)?.monthlyUsd;

describe('planCapacity: hand-worked cases', () => {
  // A: 1,000 events/s × 400 B = 0.4 MB/s, peak ×2 = 0.8 MB/s; 34.56 GB/day; 1,440 GB/month.
  const a = plan({ eventsPerSecond: 1000, avgEventBytes: 400, retentionDays: 9 });

  it('A: load', () => {
    expect(a.load).toEqual({
      logMbPerSecond: 0.4,
      peakLogMbPerSecond: 0.8,
      logGbPerDay: 34.56,
      logGbPerMonth: 1440,
    });
  });

  it('A: Kinesis — 0.2 MB/s peak per stream → 1 shard each; provisioned $48.80 beats on-demand $344', () => {
    // on-demand: 2 streams × 0.1 × 1000 h + (360 + 360 GB) × (0.1 in + 0.1 out) = 200 + 144
    // provisioned: 2 shards × 0.01 × 1000 h + 720 GB / 25 KB = 28.8 M units × $1 = 20 + 28.8
    expect(a.kinesis).toEqual({
      mode: 'provisioned',
      rawShards: 1,
      eventsShards: 1,
      peakRawMbPerSecond: 0.2,
      peakEventsMbPerSecond: 0.2,
      onDemandUsd: 344,
      provisionedUsd: 48.8,
    });
  });

  it('A: Lambda — 1,024 MB = ½ vCPU; transform 60 s/GB, sink 80 s/GB', () => {
    // transform: 1,440 GB × 30 / 0.5 × 1 GB = 86,400 GB-s; peak 0.0008 GB/s × 60 = 0.048 concurrent
    // invocations: 1 shard × 3.6 M s = 3.6 M → $3.60; GB-s × 0.00001 = $0.864
    expect(a.lambda.transform).toEqual({
      memoryMb: 1024,
      batchSize: 100,
      parallelizationFactor: 1,
      peakConcurrency: 0.05,
      gbSecondsPerMonth: 86_400,
      invocationsPerMonth: 3_600_000,
    });
    expect(cost(a, 'lambda-transform')).toBe(4.46);
    // sink: 1,440 × 20 × 2 / 0.5 = 115,200 GB-s; 0.0008 × 80 = 0.064 concurrent
    expect(a.lambda.sink).toMatchObject({
      memoryMb: 1024,
      peakConcurrency: 0.06,
      gbSecondsPerMonth: 115_200,
    });
    expect(cost(a, 'lambda-sink')).toBe(4.75);
  });

  it('A: OpenSearch — 3 small nodes (the production minimum), 470 GB each, 3 masters', () => {
    // storage: 34.56 GB/day × (9 + 1) days × 2 copies / 0.5 = 1,382.4 GB → 461 GB/node → 470
    // small: storage 2, indexing 4,000 docs/s ÷ 2,000 = 2, shards 20 ÷ 160 = 1, minimum 3 → 3
    // 3 × (0.1 × 1000 + 470 × 0.1) = $441 < big 3 × (300 + 47) = $1,041
    expect(a.opensearch).toEqual({
      instanceType: 'small.search',
      instanceCount: 3,
      availabilityZones: 3,
      dedicatedMasterType: 'master.search',
      replicas: 1,
      primaryGbPerDay: 34.56,
      storageGb: 1383,
      volumeGbPerNode: 470,
      primaryShardsPerIndex: 1,
      rolloverSizeGb: 50,
      totalShards: 20,
      nodesFor: 'minimum',
    });
    expect(cost(a, 'opensearch-data-nodes')).toBe(300);
    expect(cost(a, 'opensearch-masters')).toBe(150);
    expect(cost(a, 'opensearch-storage')).toBe(141);
  });

  it('A: total = 48.80 + 4.46 + 4.75 + 300 + 150 + 141 + 1 (KMS)', () => {
    expect(a.totalMonthlyUsd).toBe(650.01);
  });

  it('B: dev — 1 node, no replica, no masters', () => {
    // storage: 34.56 × 10 × 1 / 0.5 = 691.2 → 700 GB; 2,000 docs/s ÷ 2,000 = 1 node
    const b = plan({ eventsPerSecond: 1000, avgEventBytes: 400, retentionDays: 9, profile: 'dev' });
    expect(b.opensearch).toMatchObject({
      instanceType: 'small.search',
      instanceCount: 1,
      availabilityZones: 1,
      replicas: 0,
      storageGb: 692,
      volumeGbPerNode: 700,
      totalShards: 10,
    });
    expect(b.opensearch.dedicatedMasterType).toBeUndefined();
    expect(b.costs.map((c) => c.part)).not.toContain('opensearch-masters');
    expect(b.totalMonthlyUsd).toBeCloseTo(48.8 + 4.46 + 4.75 + 100 + 70 + 1, 2);
  });

  it('C: storage-bound — small would need 105 nodes (> 80), so 27 big nodes of 3,840 GB', () => {
    // 10,000 × 1,000 B = 10 MB/s → 864 GB/day; × 30 days × 2 / 0.5 = 103,680 GB
    // small: 104 → 105 (3 AZs) > 80; big: 103,680 / 4,000 → 26 → 27; 103,680 / 27 = 3,840 GB
    // shards: an index rolls over at the config's 500 GB cap → 500 / 50 = 10 shards; 864 / 500 =
    // 1.728 indices a day × 30 days → 52 indices × 10 × 2 copies = 1,040 shards
    const c = plan({ eventsPerSecond: 10_000, avgEventBytes: 1000, retentionDays: 29, peakFactor: 1 });
    expect(c.opensearch).toMatchObject({
      instanceType: 'big.search',
      instanceCount: 27,
      volumeGbPerNode: 3840,
      storageGb: 103_680,
      primaryShardsPerIndex: 10,
      rolloverSizeGb: 500,
      totalShards: 1040,
      nodesFor: 'storage',
    });
    // 10 MB/s × 0.25 = 2.5 MB/s per stream ÷ 0.5 → 5 shards each; 1,769 MB for the transform
    expect(c.kinesis).toMatchObject({ mode: 'provisioned', rawShards: 5, eventsShards: 5 });
    expect(c.lambda.transform.memoryMb).toBe(1769);
  });

  it('D: indexing-bound — 200,000 docs/s at peak (×5, 2 copies) need 200 vCPUs: 25 → 27 big nodes', () => {
    const d = plan({ eventsPerSecond: 20_000, avgEventBytes: 50, retentionDays: 1, peakFactor: 5 });
    // small would need 100 → 102 nodes; big 200 / 8 = 25 → 27; storage 86.4 × 2 × 2 / 0.5 = 691.2 GB
    expect(d.opensearch).toMatchObject({
      instanceType: 'big.search',
      instanceCount: 27,
      nodesFor: 'indexing',
      volumeGbPerNode: 30,
    });
  });

  it('B2: a burstable type is a choice for dev only', () => {
    const withT3: PlanData = {
      ...data,
      instanceTypes: [
        { type: 'tiny.search', vcpu: 2, memoryGb: 4, maxVolumeGb: 1000, devOnly: true },
        ...data.instanceTypes,
      ],
      prices: {
        ...prices,
        opensearch: {
          ...prices.opensearch,
          instanceHour: { ...prices.opensearch.instanceHour, 'tiny.search': 0.05 },
        },
      },
    };
    const input = { eventsPerSecond: 1000, avgEventBytes: 400, retentionDays: 9 };
    // dev: 1 × (0.05 × 1000 + 700 × 0.1) = $120 < small $170
    expect(plan({ ...input, profile: 'dev' }, withT3).opensearch.instanceType).toBe('tiny.search');
    expect(plan(input, withT3).opensearch.instanceType).toBe('small.search');
  });

  it('E: on-demand when provisioned shards cost more', () => {
    const dear: PlanData = {
      ...data,
      prices: { ...prices, kinesis: { ...prices.kinesis, provisionedShardHour: 1 } },
    };
    // provisioned: 2 × 1 × 1000 + 28.8 = 2,028.80 > on-demand 344
    const e = plan({ eventsPerSecond: 1000, avgEventBytes: 400, retentionDays: 9 }, dear);
    expect(e.kinesis).toMatchObject({ mode: 'on_demand', provisionedUsd: 2028.8, onDemandUsd: 344 });
    expect(cost(e, 'kinesis')).toBe(344);
  });

  it('F: parallelization rises with the sink’s concurrency per shard', () => {
    // 40 MB/s peak: events stream 10 MB/s → 20 shards; sink 0.04 GB/s × 80 s/GB = 3.2 concurrent → 1
    // per shard; with 1 shard allowed per 50 MB/s (headroom 1, limit 50) it needs 4 per shard.
    const wide: PlanData = {
      ...data,
      figures: {
        ...figures,
        shardInMbPerS: set(figures.shardInMbPerS, 50),
        shardHeadroom: set(figures.shardHeadroom, 1),
      },
    };
    const f = plan({ eventsPerSecond: 20_000, avgEventBytes: 1000, retentionDays: 1, peakFactor: 2 }, wide);
    expect(f.kinesis.eventsShards).toBe(1);
    expect(f.lambda.sink.peakConcurrency).toBe(3.2);
    expect(f.lambda.sink.parallelizationFactor).toBe(4);
  });

  it('counts the invocation overhead in GB-seconds', () => {
    const slow: PlanData = {
      ...data,
      figures: { ...figures, invokeOverheadMs: set(figures.invokeOverheadMs, 10) },
    };
    // + 3.6 M invocations × 0.01 s × 1 GB = 36,000 GB-s
    const p = plan({ eventsPerSecond: 1000, avgEventBytes: 400, retentionDays: 9 }, slow);
    expect(p.lambda.transform.gbSecondsPerMonth).toBe(86_400 + 36_000);
  });
});

describe('shardsFor', () => {
  it.each([
    [0, 1],
    [0.5, 1],
    [0.51, 2],
    [2.5, 5],
  ])('%d MB/s → %d shards at 0.5 MB/s each', (mbps, shards) => {
    expect(shardsFor(mbps, figures)).toBe(shards);
  });
});

describe('planCapacity: bad input', () => {
  const ok: PlanInput = { eventsPerSecond: 100, avgEventBytes: 300, retentionDays: 7 };
  it.each([
    [{ ...ok, eventsPerSecond: 0 }, /--events-per-second must be a number from/],
    [{ ...ok, eventsPerSecond: Number.NaN }, /--events-per-second .* got NaN/],
    [{ ...ok, avgEventBytes: 300_000 }, /--avg-event-bytes must be a number from 1 to 262144/],
    [{ ...ok, retentionDays: 1.5 }, /--retention-days must be a whole number/],
    [{ ...ok, retentionDays: 3650 }, /--retention-days must be a number from 1 to 3649/],
    [{ ...ok, peakFactor: 0.5 }, /--peak-factor must be a number from 1 to 100/],
    [{ ...ok, profile: 'staging' as 'dev' }, /--profile must be production or dev/],
  ])('%j is a typed input error', (input, message) => {
    const attempt = () => planCapacity(input);
    expect(attempt).toThrow(PlanError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (err) {
      expect((err as PlanError).code).toBe(PLAN_ERROR_CODES.input);
    }
  });

  it('a load beyond the listed instance types and shard limits is a typed error, not a plan', () => {
    expect(() =>
      planCapacity({ eventsPerSecond: 5_000_000, avgEventBytes: 200_000, retentionDays: 30 }),
    ).toThrow(expect.objectContaining({ code: PLAN_ERROR_CODES.tooLarge }));
  });
});

describe('planCapacity with the repo’s figures and prices', () => {
  it('sizes a small production pipeline at the profile minimum and prices every part', () => {
    const p = planCapacity({ eventsPerSecond: 100, avgEventBytes: 300, retentionDays: 7 });
    expect(p.opensearch).toMatchObject({
      instanceCount: 3,
      availabilityZones: 3,
      nodesFor: 'minimum',
      replicas: 1,
    });
    expect(p.costs.every((c) => Number.isFinite(c.monthlyUsd) && c.monthlyUsd > 0)).toBe(true);
    expect(p.totalMonthlyUsd).toBeCloseTo(
      p.costs.reduce((n, c) => n + c.monthlyUsd, 0),
      2,
    );
  });
});
