import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SluiceInfraConfigSchema } from '../../infra/config/schema.js';
import { planConfig, planConfigYaml } from '../../infra/plan/emit.js';
import { PlanError } from '../../infra/plan/errors.js';
import { FIGURES_MEASURED_ON } from '../../infra/plan/figures.js';
import { PRICES } from '../../infra/plan/prices.js';
import { type Plan, type PlanInput, planCapacity } from '../../infra/plan/sizing.js';
import { type Command, EXIT, parsedOrUsage, UsageError } from '../command.js';

const HELP = [
  'Usage: sluice plan --events-per-second N --avg-event-bytes B --retention-days D',
  '                   [--peak-factor F] [--profile production|dev] [--json] [--emit-config FILE]',
  '',
  'Recommends the capacity of a deployment and estimates its monthly cost: Kinesis stream mode and',
  'shards, Lambda memory, batch size and parallelization with the expected concurrency at peak,',
  'OpenSearch instance type and count, storage with replicas and overhead, shards per index.',
  'Derived from the figures our benchmarks measure (infra/plan/figures.ts) and on-demand list',
  `prices for ${PRICES.region} as of ${PRICES.asOf} (infra/plan/prices.ts) — check the prices before relying on them.`,
  '',
  '  --events-per-second N  average log events per second over a day',
  '  --avg-event-bytes B    average size of one log event (the message text), bytes',
  '  --retention-days D     days events stay searchable in OpenSearch',
  '  --peak-factor F        peak rate / average rate (default 2)',
  '  --profile P            production (default: ≥ 3 data nodes over 3 AZs, 3 dedicated masters,',
  '                         1 replica) or dev (1 node, no replica)',
  '  --json                 print the plan as JSON',
  '  --emit-config FILE     also write the deployment config YAML for `npx cdk deploy -c config=FILE`',
].join('\n');

const OPTIONS = {
  'events-per-second': { type: 'string' },
  'avg-event-bytes': { type: 'string' },
  'retention-days': { type: 'string' },
  'peak-factor': { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  'emit-config': { type: 'string' },
} as const;

function num(value: string | undefined, flag: string, required: boolean): number | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(`${flag} is required (see sluice plan --help)`);
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`${flag} must be a number, got '${value}'`);
  return n;
}

function parse(argv: readonly string[]): { input: PlanInput; json: boolean; emit?: string } {
  const { values, positionals } = parsedOrUsage(() =>
    parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS }),
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const profile = values.profile ?? 'production';
  if (profile !== 'production' && profile !== 'dev') {
    throw new UsageError(`--profile must be production or dev, got '${profile}'`);
  }
  const peakFactor = num(values['peak-factor'], '--peak-factor', false);
  return {
    input: {
      eventsPerSecond: num(values['events-per-second'], '--events-per-second', true) as number,
      avgEventBytes: num(values['avg-event-bytes'], '--avg-event-bytes', true) as number,
      retentionDays: num(values['retention-days'], '--retention-days', true) as number,
      ...(peakFactor !== undefined ? { peakFactor } : {}),
      profile,
    },
    json: values.json ?? false,
    ...(values['emit-config'] !== undefined ? { emit: values['emit-config'] } : {}),
  };
}

const usd = (n: number): string =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The plan as the table `sluice plan` prints. */
export function renderPlan(plan: Plan): string {
  const { input: i, load, kinesis: k, lambda: l, opensearch: os } = plan;
  const cost = (part: string): string =>
    usd(plan.costs.find((c) => c.part === part)?.monthlyUsd ?? 0).padStart(11);
  const row = (label: string, text: string, part?: string): string =>
    `  ${label.padEnd(16)}${text.padEnd(64)}${part ? cost(part) : ''}`;
  const stage = (p: Plan['lambda']['transform']): string =>
    `${p.memoryMb} MB, batch ${p.batchSize}, parallelization ${p.parallelizationFactor}, ~${fmt(p.peakConcurrency, 2)} concurrent at peak`;
  const lines = [
    `Capacity plan (${i.profile}): ${fmt(i.eventsPerSecond, 3).replace(/\.?0+$/, '')} events/s × ${fmt(i.avgEventBytes)} B, peak ×${i.peakFactor}, ${i.retentionDays} days searchable`,
    `Load: ${fmt(load.logMbPerSecond, 3)} MB/s of log text (peak ${fmt(load.peakLogMbPerSecond, 3)} MB/s), ${fmt(load.logGbPerDay, 1)} GB/day, ${fmt(load.logGbPerMonth, 0)} GB/month`,
    '',
    `${''.padEnd(80)}${'per month'.padStart(11)}`,
    `Kinesis (${k.mode === 'provisioned' ? 'provisioned' : 'on-demand'}; the other mode: ${usd(k.mode === 'provisioned' ? k.onDemandUsd : k.provisionedUsd)}/month)`,
    row(
      'streams',
      k.mode === 'provisioned'
        ? `raw ${k.rawShards} shard(s) (peak ${fmt(k.peakRawMbPerSecond, 2)} MB/s in), events ${k.eventsShards} (peak ${fmt(k.peakEventsMbPerSecond, 2)} MB/s)`
        : `raw peak ${fmt(k.peakRawMbPerSecond, 2)} MB/s in, events peak ${fmt(k.peakEventsMbPerSecond, 2)} MB/s`,
      'kinesis',
    ),
    'Lambda (arm64)',
    row('transform', stage(l.transform), 'lambda-transform'),
    row('sink', stage(l.sink), 'lambda-sink'),
    'OpenSearch Service',
    row(
      'data nodes',
      `${os.instanceCount} × ${os.instanceType} over ${os.availabilityZones} AZ(s) (sized by ${os.nodesFor})`,
      'opensearch-data-nodes',
    ),
    ...(os.dedicatedMasterType
      ? [row('masters', `3 × ${os.dedicatedMasterType} (dedicated)`, 'opensearch-masters')]
      : []),
    row(
      'storage',
      `${os.instanceCount} × ${fmt(os.volumeGbPerNode)} GB gp3 (need ${fmt(os.storageGb)} GB: ${fmt(os.primaryGbPerDay, 1)} GB/day`,
      'opensearch-storage',
    ),
    row('', `× ${i.retentionDays + 1} days × ${os.replicas + 1} copies ÷ 0.76 for OS and service reserve)`),
    row(
      'shards',
      `${os.primaryShardsPerIndex} primary per index + ${os.replicas} replica each, rollover ${os.rolloverSizeGb}gb or 1d;`,
    ),
    row('', `${fmt(os.totalShards)} shards kept over the retention`),
    'Other',
    row('KMS', '1 customer-managed key (streams, queues, dead letters)', 'kms'),
    '',
    `${'Total'.padEnd(80)}${usd(plan.totalMonthlyUsd).padStart(11)}`,
    '',
    `Prices: ${PRICES.region} on-demand list prices as of ${PRICES.asOf} (infra/plan/prices.ts) — check them at aws.amazon.com/pricing.`,
    `Figures: benchmarks of ${FIGURES_MEASURED_ON} and stated assumptions (infra/plan/figures.ts); docs/deploy.md explains the model.`,
    'Not included: CloudWatch Logs ingestion and storage, data transfer, dead letters, alarms, the canary.',
  ];
  return lines.map((line) => line.trimEnd()).join('\n');
}

/** `sluice plan`: capacity and monthly cost of a deployment, and the config YAML that sizes it. */
export const command: Command = {
  name: 'plan',
  summary: 'Recommend capacity and estimate the monthly cost of a deployment; emit its config YAML',
  help: HELP,
  async run(argv, io) {
    const { input, json, emit } = parse(argv);
    let plan: Plan;
    try {
      plan = planCapacity(input);
    } catch (err) {
      if (err instanceof PlanError) throw new UsageError(`${err.code}: ${err.message}`);
      throw err;
    }
    if (emit !== undefined) {
      // The emitted file must be a config the deploy accepts: checked before it is written.
      SluiceInfraConfigSchema.parse(planConfig(plan));
      await writeFile(path.resolve(io.cwd, emit), planConfigYaml(plan));
    }
    io.stdout.write(`${json ? JSON.stringify(plan, null, 2) : renderPlan(plan)}\n`);
    if (emit !== undefined && !json) io.stderr.write(`wrote ${emit}\n`);
    return EXIT.ok;
  },
};
