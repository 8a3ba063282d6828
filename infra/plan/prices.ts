/**
 * Public on-demand list prices that `sluice plan` multiplies its sizing with — one region, one
 * date, from AWS's published price pages as we knew them on `asOf`. They are not fetched: CHECK
 * THEM against https://aws.amazon.com/pricing/ (Kinesis Data Streams, Lambda, OpenSearch
 * Service, KMS) before relying on a figure, and update `asOf` when you do. No free tier, no
 * savings plans or reserved instances.
 */
/** The shape of {@link PRICES} (tests hand the planner their own round numbers). */
export interface PriceList {
  readonly region: string;
  readonly asOf: string;
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  readonly kinesis: {
    readonly onDemandStreamHour: number;
    readonly onDemandPerGbIn: number;
    readonly onDemandPerGbOut: number;
    readonly provisionedShardHour: number;
    readonly provisionedPerMillionPutUnits: number;
  };
  readonly lambda: { readonly arm64PerGbSecond: number; readonly perMillionRequests: number };
  readonly opensearch: {
    readonly gp3PerGbMonth: number;
    readonly instanceHour: Readonly<Record<string, number>>;
  };
  readonly kms: { readonly keyMonth: number };
}

/** A data node type the planner can choose. */
export interface DataInstanceType {
  readonly type: string;
  readonly vcpu: number;
  readonly memoryGb: number;
  readonly maxVolumeGb: number;
  /** Burstable (T3): only for the dev profile, never production (AWS advises against it). */
  readonly devOnly?: boolean;
}

export const PRICES: PriceList = {
  region: 'us-east-1',
  asOf: '2026-12-05',
  currency: 'USD',
  hoursPerMonth: 730,
  kinesis: {
    /** On-demand: per stream-hour, per GB written (records rounded up to 1 KB), per GB read. */
    onDemandStreamHour: 0.04,
    onDemandPerGbIn: 0.08,
    onDemandPerGbOut: 0.04,
    /** Provisioned: per shard-hour, per million 25 KB PUT payload units. */
    provisionedShardHour: 0.015,
    provisionedPerMillionPutUnits: 0.014,
  },
  lambda: {
    /** arm64 (the stack's architecture): per GB-second, per million requests. */
    arm64PerGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
  },
  opensearch: {
    /** gp3 EBS storage per GB-month (the domain's volume type). */
    gp3PerGbMonth: 0.122,
    /** On-demand instance-hours of the types the planner chooses from. */
    instanceHour: {
      't3.medium.search': 0.073,
      'm6g.large.search': 0.128,
      'r6g.large.search': 0.167,
      'r6g.xlarge.search': 0.335,
      'r6g.2xlarge.search': 0.669,
      'r6g.4xlarge.search': 1.338,
      'r6g.8xlarge.search': 2.676,
    },
  },
  kms: {
    /** One customer-managed key (the streams' and queues' key), per month. */
    keyMonth: 1,
  },
};

/** Instance types the planner sizes data nodes with: vCPUs, memory and the largest gp3 volume. */
export const DATA_INSTANCE_TYPES: readonly DataInstanceType[] = [
  { type: 't3.medium.search', vcpu: 2, memoryGb: 4, maxVolumeGb: 200, devOnly: true },
  { type: 'r6g.large.search', vcpu: 2, memoryGb: 16, maxVolumeGb: 1024 },
  { type: 'r6g.xlarge.search', vcpu: 4, memoryGb: 32, maxVolumeGb: 1536 },
  { type: 'r6g.2xlarge.search', vcpu: 8, memoryGb: 64, maxVolumeGb: 3072 },
  { type: 'r6g.4xlarge.search', vcpu: 16, memoryGb: 128, maxVolumeGb: 6144 },
  { type: 'r6g.8xlarge.search', vcpu: 32, memoryGb: 256, maxVolumeGb: 12288 },
];

/** Dedicated master type for the three masters of a production domain. */
export const MASTER_INSTANCE_TYPE = 'm6g.large.search';
