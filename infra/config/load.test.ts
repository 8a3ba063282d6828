import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../constructs/code.js';
import { InfraConfigError } from './errors.js';
import { parseInfraConfig } from './load.js';

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
      'opensearch: { mode: existing, endpoint: "http://x.example", domain_arn: "arn:aws:es:us-east-1:1:domain/x" }\nsubscription: { member_account_ids: ["12"] }\n',
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

  it('refuses nodejs20.x, deprecated on Lambda', () => {
    const problems = problemsOf('opensearch: { mode: domain }\nfunctions: { runtime: nodejs20.x }\n');
    expect(problems.map((p) => [p.path, p.line])).toEqual([['functions.runtime', 2]]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('opensearch:\n  mode: domain\n   bad: [\n');
    expect(problems[0]?.line).toBeGreaterThan(0);
  });
});
