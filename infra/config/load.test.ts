import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../constructs/code.js';
import { InfraConfigError } from './errors.js';
import { parseInfraConfig } from './load.js';
import { maxRecordAgeSeconds } from './schema.js';

function problemsOf(text: string) {
  try {
    parseInfraConfig(text, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(InfraConfigError);
    return (err as InfraConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseInfraConfig', () => {
  it('accepts the example config and fills every default', () => {
    const config = parseInfraConfig(
      readFileSync(join(REPO_ROOT, 'infra/config/example.yaml'), 'utf8'),
      'example',
    );
    expect(config.streams).toEqual({
      mode: 'on_demand',
      raw_shards: 2,
      events_shards: 2,
      retention_hours: 24,
    });
    expect(config.functions.transform.memory_mb).toBe(512);
    expect(config.functions.sink.timeout_s).toBe(120);
    expect(config.opensearch).toMatchObject({
      mode: 'domain',
      engine_version: '2.19',
      vpc: { mode: 'none' },
    });
  });

  it.each(readdirSync(join(REPO_ROOT, 'infra/config/variants')))(
    'accepts the documented variant %s',
    (file) => {
      const path = join(REPO_ROOT, 'infra/config/variants', file);
      expect(parseInfraConfig(readFileSync(path, 'utf8'), file).name).toMatch(/^sluice/);
    },
  );

  it('accepts JSON too', () => {
    const c = parseInfraConfig(JSON.stringify({ opensearch: { mode: 'domain' }, name: 'logs' }), 'c.json');
    expect(c.name).toBe('logs');
  });

  it('lists every problem with its path and line', () => {
    const problems = problemsOf(
      [
        'name: Sluice',
        'streams:',
        '  mode: sometimes',
        'functions:',
        '  sink:',
        '    memory_mb: 64',
        'opensearch:',
        '  mode: domain',
        '  instance_count: 0',
      ].join('\n'),
    );
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['name', 1],
      ['streams.mode', 3],
      ['functions.sink.memory_mb', 6],
      ['opensearch.instance_count', 9],
    ]);
  });

  it('rejects unknown keys (a typo is not silently ignored)', () => {
    const problems = problemsOf('opensearch: { mode: domain }\nstreems: { mode: provisioned }\n');
    expect(problems[0]?.message).toMatch(/streems/);
  });

  it('requires the OpenSearch target', () => {
    expect(problemsOf('name: sluice\n').map((p) => p.path)).toEqual(['opensearch']);
  });

  it('rejects a plain-http existing endpoint and a bad member account id', () => {
    const problems = problemsOf(
      'opensearch: { mode: existing, endpoint: "http://x.example", domain_arn: "arn:aws:es:us-east-1:123456789012:domain/logs" }\nsubscription: { member_account_ids: ["12"] }\n',
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'opensearch.endpoint',
      'subscription.member_account_ids.0',
    ]);
  });

  it('rejects wildcard excludes with an account policy', () => {
    const problems = problemsOf(
      'opensearch: { mode: domain }\nsubscription: { mode: account_policy, exclude: ["/aws/*"] }\n',
    );
    expect(problems.map((p) => p.path)).toEqual(['subscription.exclude']);
  });

  it('refuses an OpenSearch Serverless collection, saying why', () => {
    const problems = problemsOf(
      'opensearch: { mode: existing, endpoint: "https://abc123.us-east-1.aoss.amazonaws.com", domain_arn: "arn:aws:aoss:us-east-1:123456789012:collection/abc123" }\n',
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['opensearch.domain_arn', 'opensearch.endpoint']);
    for (const p of problems)
      expect(p.message).toMatch(/OpenSearch Serverless \(aoss\) is not supported: .*document ids/);
  });

  it('refuses nodejs20.x, deprecated on Lambda', () => {
    const problems = problemsOf('opensearch: { mode: domain }\nfunctions: { runtime: nodejs20.x }\n');
    expect(problems.map((p) => [p.path, p.line])).toEqual([['functions.runtime', 2]]);
  });

  it('fills a fault-tolerant domain from the production profile (the default)', () => {
    const c = parseInfraConfig('opensearch: { mode: domain }\n', 'p.yaml');
    expect(c.opensearch).toMatchObject({
      instance_count: 3,
      zone_awareness: true,
      availability_zone_count: 3,
      dedicated_master_type: 'm7g.large.search',
      dedicated_master_count: 3,
    });
    expect(c).toMatchObject({ removal: 'retain', termination_protection: true, indices: { replicas: 1 } });
  });

  it('fills one small node without replicas from the dev profile', () => {
    const c = parseInfraConfig('profile: dev\nopensearch: { mode: domain }\n', 'd.yaml');
    expect(c.opensearch).toMatchObject({
      instance_type: 't3.medium.search',
      instance_count: 1,
      zone_awareness: false,
      availability_zone_count: 1,
      dedicated_master_type: undefined,
    });
    expect(c).toMatchObject({ removal: 'destroy', termination_protection: false, indices: { replicas: 0 } });
  });

  it.each([
    [
      'zone awareness with one node',
      'profile: dev\nopensearch: { mode: domain, zone_awareness: true }',
      'opensearch.zone_awareness',
      /at least 2 data nodes/,
    ],
    [
      'nodes that do not spread evenly over the zones',
      'profile: dev\nopensearch: { mode: domain, instance_count: 4, zone_awareness: true, availability_zone_count: 3 }',
      'opensearch.instance_count',
      /4 data nodes do not spread evenly over 3 availability zones/,
    ],
    [
      'a zone count without zone awareness',
      'profile: dev\nopensearch: { mode: domain, availability_zone_count: 2 }',
      'opensearch.availability_zone_count',
      /needs zone_awareness: true/,
    ],
    [
      'as many replicas as nodes',
      'profile: dev\nindices: { replicas: 1 }\nopensearch: { mode: domain }',
      'indices.replicas',
      /would stay yellow/,
    ],
    [
      'production with two nodes',
      'opensearch: { mode: domain, instance_count: 2, availability_zone_count: 2 }',
      'opensearch.instance_count',
      /production profile needs at least 3 data nodes/,
    ],
    [
      'production without replicas',
      'indices: { replicas: 0 }\nopensearch: { mode: domain }',
      'indices.replicas',
      /at least 1 replica/,
    ],
    [
      'a VPC with fewer zones than the domain',
      'opensearch: { mode: domain, vpc: { mode: create, max_azs: 2 } }',
      'opensearch.vpc.max_azs',
      /spreads over 3 availability zones; the VPC has 2/,
    ],
    [
      'an existing VPC with a subnet missing',
      'opensearch: { mode: domain, vpc: { mode: existing, vpc_id: vpc-1, availability_zones: [a, b, c], private_subnet_ids: [subnet-1, subnet-2] } }',
      'opensearch.vpc.private_subnet_ids',
      /one subnet per availability zone/,
    ],
    [
      'a sink reserved concurrency below what a provisioned stream runs at once',
      'streams: { mode: provisioned, events_shards: 8 }\nopensearch: { mode: domain }',
      'functions.sink.reserved_concurrency',
      /10 is below the 16 batches the mapping runs at once \(8 shards × parallelization_factor 2\)/,
    ],
    [
      'lifecycle phases out of order',
      'indices: { warm_after_days: 10, cold_after_days: 5 }\nopensearch: { mode: domain }',
      'indices.cold_after_days',
      /more than warm_after_days/,
    ],
  ])('rejects %s with a clear error', (_name, yaml, path, message) => {
    const problems = problemsOf(`${yaml}\n`);
    expect(problems.map((p) => p.path)).toContain(path);
    expect(problems.find((p) => p.path === path)?.message).toMatch(message);
  });

  it("retries a batch until its records near the streams' retention, by default", () => {
    const c = parseInfraConfig('opensearch: { mode: domain }\n', 'c.yaml');
    expect(c.functions.on_failure).toBe('s3');
    expect(c.functions.sink.retry_attempts).toBe(-1);
    expect(maxRecordAgeSeconds(c, 'sink')).toBe(23 * 3600);
    const week = parseInfraConfig(
      'opensearch: { mode: domain }\nstreams: { retention_hours: 720 }\nfunctions: { transform: { max_record_age_s: 7200 } }\n',
      'c.yaml',
    );
    expect(maxRecordAgeSeconds(week, 'sink')).toBe(604_800);
    expect(maxRecordAgeSeconds(week, 'transform')).toBe(7200);
  });

  it('rejects a maximum record age the stream would not keep the records for', () => {
    const problems = problemsOf(
      'opensearch: { mode: domain }\nstreams: { retention_hours: 24 }\nfunctions:\n  sink: { max_record_age_s: 86400 }\n',
    );
    expect(problems.map((p) => [p.path, p.line])).toEqual([['functions.sink.max_record_age_s', 4]]);
    expect(problems[0]?.message).toMatch(/at most 82800/);
  });

  it('refuses an SQS on-failure destination, which keeps only a pointer into the stream', () => {
    const problems = problemsOf('opensearch: { mode: domain }\nfunctions: { on_failure: sqs }\n');
    expect(problems.map((p) => p.path)).toEqual(['functions.on_failure']);
    expect(problems[0]?.message).toMatch(/pointer into the stream/);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('opensearch:\n  mode: domain\n   bad: [\n');
    expect(problems[0]?.line).toBeGreaterThan(0);
  });
});
