import type { z } from 'zod';
import type { RawInfraConfig } from './schema.js';

/** Names of the deployment profiles. */
export const PROFILE_NAMES = ['dev', 'production'] as const;
/** A deployment profile. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * What each profile fills in where the config is silent. `production` meets AWS's
 * fault-tolerance guidance (AWS Config `opensearch-primary-node-fault-tolerance`, Security Hub
 * OpenSearch.6/.11): three data nodes over three zones, three dedicated masters, a replica.
 */
export const PROFILES = {
  dev: {
    instance_type: 't3.medium.search',
    instance_count: 1,
    dedicated_master_type: undefined,
    volume_gb: 20,
    zone_awareness: false,
    availability_zone_count: 2,
    replicas: 0,
    removal: 'destroy',
    termination_protection: false,
  },
  production: {
    instance_type: 'r7g.large.search',
    instance_count: 3,
    dedicated_master_type: 'm7g.large.search',
    volume_gb: 100,
    zone_awareness: true,
    availability_zone_count: 3,
    replicas: 1,
    removal: 'retain',
    termination_protection: true,
  },
} as const satisfies Record<ProfileName, Record<string, unknown>>;

type RawDomain = Extract<RawInfraConfig['opensearch'], { mode: 'domain' }>;
type RawExisting = Extract<RawInfraConfig['opensearch'], { mode: 'existing' }>;

/** An owned domain with every sizing key decided. */
export type ResolvedDomain = Omit<
  RawDomain,
  | 'instance_type'
  | 'instance_count'
  | 'dedicated_master_type'
  | 'dedicated_master_count'
  | 'volume_gb'
  | 'zone_awareness'
  | 'availability_zone_count'
> & {
  instance_type: string;
  instance_count: number;
  dedicated_master_type: string | undefined;
  dedicated_master_count: 3 | 5;
  volume_gb: number;
  zone_awareness: boolean;
  /** Zones the data nodes use: 1 without zone awareness. */
  availability_zone_count: 1 | 2 | 3;
};

/** The config with the profile's defaults filled in. */
export type ResolvedInfraConfig = Omit<
  RawInfraConfig,
  'removal' | 'termination_protection' | 'indices' | 'opensearch'
> & {
  removal: 'retain' | 'destroy';
  termination_protection: boolean;
  indices: RawInfraConfig['indices'] & { replicas: number };
  opensearch: ResolvedDomain | RawExisting;
};

type Problem = { path: (string | number)[]; message: string };

/**
 * Fills in the profile's defaults and reports every combination that cannot deploy or would run
 * degraded (a zod transform: problems become issues with their paths).
 */
export function resolveProfile(c: RawInfraConfig, ctx: z.RefinementCtx): ResolvedInfraConfig {
  const p = PROFILES[c.profile];
  const problems: Problem[] = [];
  const replicas = c.indices.replicas ?? p.replicas;
  let opensearch: ResolvedDomain | RawExisting;
  if (c.opensearch.mode === 'domain') {
    opensearch = resolveDomain(c.opensearch, c.profile);
    problems.push(...domainProblems(c.opensearch, opensearch, c.profile, replicas));
  } else {
    opensearch = c.opensearch;
  }
  if (c.profile === 'production' && replicas < 1) {
    problems.push({
      path: ['indices', 'replicas'],
      message:
        'the production profile keeps at least 1 replica (a node loss must not lose data); use profile: dev for 0',
    });
  }
  problems.push(...concurrencyProblems(c));
  for (const problem of problems) ctx.addIssue({ code: 'custom', ...problem });
  return {
    ...c,
    removal: c.removal ?? p.removal,
    termination_protection: c.termination_protection ?? p.termination_protection,
    indices: { ...c.indices, replicas },
    opensearch,
  };
}

function resolveDomain(d: RawDomain, profile: ProfileName): ResolvedDomain {
  const p = PROFILES[profile];
  const zoneAware = d.zone_awareness ?? (p.zone_awareness && (d.instance_count ?? p.instance_count) > 1);
  return {
    ...d,
    instance_type: d.instance_type ?? p.instance_type,
    instance_count: d.instance_count ?? p.instance_count,
    dedicated_master_type: d.dedicated_master_type ?? p.dedicated_master_type,
    dedicated_master_count: d.dedicated_master_count ?? 3,
    volume_gb: d.volume_gb ?? p.volume_gb,
    zone_awareness: zoneAware,
    availability_zone_count: zoneAware ? (d.availability_zone_count ?? p.availability_zone_count) : 1,
  };
}

function domainProblems(
  raw: RawDomain,
  d: ResolvedDomain,
  profile: ProfileName,
  replicas: number,
): Problem[] {
  const out: Problem[] = [];
  const at = (key: string, message: string) => out.push({ path: ['opensearch', key], message });
  const nodes = d.instance_count;
  const azs = d.availability_zone_count;
  if (d.zone_awareness && nodes < 2) {
    at('zone_awareness', `zone awareness needs at least 2 data nodes (instance_count is ${nodes})`);
  } else if (d.zone_awareness && nodes % azs !== 0) {
    at(
      'instance_count',
      `${nodes} data nodes do not spread evenly over ${azs} availability zones: use a multiple of ${azs}`,
    );
  }
  if (!d.zone_awareness && raw.availability_zone_count !== undefined) {
    at('availability_zone_count', 'needs zone_awareness: true (without it the domain uses one zone)');
  }
  if (raw.dedicated_master_count !== undefined && !d.dedicated_master_type) {
    at('dedicated_master_count', 'needs dedicated_master_type');
  }
  if (replicas >= nodes) {
    out.push({
      path: ['indices', 'replicas'],
      message: `${replicas} replicas need more than ${nodes} data nodes (a replica never shares a node with its primary; the cluster would stay yellow)`,
    });
  }
  if (profile === 'production') {
    const why = 'the production profile needs';
    const alt = 'use profile: dev for a smaller domain';
    if (nodes < 3) at('instance_count', `${why} at least 3 data nodes (got ${nodes}); ${alt}`);
    if (!d.zone_awareness || azs !== 3) {
      at('availability_zone_count', `${why} zone awareness over 3 availability zones; ${alt}`);
    }
    if (!d.dedicated_master_type) at('dedicated_master_type', `${why} dedicated masters; ${alt}`);
  }
  out.push(...vpcProblems(d));
  return out;
}

function vpcProblems(d: ResolvedDomain): Problem[] {
  const out: Problem[] = [];
  const azs = d.availability_zone_count;
  const at = (key: string, message: string) => out.push({ path: ['opensearch', 'vpc', key], message });
  if (d.vpc.mode === 'create') {
    const zones = d.vpc.availability_zones?.length ?? d.vpc.max_azs;
    if (zones < azs) {
      at(
        d.vpc.availability_zones ? 'availability_zones' : 'max_azs',
        `the domain spreads over ${azs} availability zones; the VPC has ${zones}`,
      );
    }
  } else if (d.vpc.mode === 'existing') {
    if (d.vpc.private_subnet_ids.length !== d.vpc.availability_zones.length) {
      at(
        'private_subnet_ids',
        `expected one subnet per availability zone (${d.vpc.availability_zones.length} zones, ${d.vpc.private_subnet_ids.length} subnets)`,
      );
    }
    if (d.vpc.availability_zones.length < azs) {
      at(
        'availability_zones',
        `the domain spreads over ${azs} availability zones; ${d.vpc.availability_zones.length} given`,
      );
    }
  }
  return out;
}

/** A reserved concurrency below what a provisioned stream's mapping runs at once throttles it for good. */
function concurrencyProblems(c: RawInfraConfig): Problem[] {
  if (c.streams.mode !== 'provisioned') return [];
  const out: Problem[] = [];
  for (const [stage, shards] of [
    ['transform', c.streams.raw_shards],
    ['sink', c.streams.events_shards],
  ] as const) {
    const f = c.functions[stage];
    const needed = shards * f.parallelization_factor;
    if (f.reserved_concurrency !== null && f.reserved_concurrency < needed) {
      out.push({
        path: ['functions', stage, 'reserved_concurrency'],
        message: `${f.reserved_concurrency} is below the ${needed} batches the mapping runs at once (${shards} shards × parallelization_factor ${f.parallelization_factor}): some shards would always be throttled`,
      });
    }
  }
  return out;
}
