import { describe, expect, it } from 'vitest';
import { parseSinkConfig } from './config.js';
import { eventMappings, indexTemplate, ismPolicy } from './template.js';

describe('parseSinkConfig', () => {
  it('fills defaults', () => {
    expect(parseSinkConfig({})).toMatchObject({
      index_prefix: 'sluice-logs',
      stream_by: 'service',
      concurrency: 2,
    });
  });

  it('lists every problem, unknown keys included', () => {
    expect(() => parseSinkConfig({ index_prefix: 'Bad Prefix', retry_budget_ms: -1, colour: 'red' })).toThrow(
      /index_prefix.*retry_budget_ms|retry_budget_ms.*index_prefix/s,
    );
    expect(() => parseSinkConfig({ colour: 'red' })).toThrow(/colour/);
  });
});

describe('index template', () => {
  it('makes every <prefix>-* a data stream with the event mappings', () => {
    const tpl = indexTemplate(parseSinkConfig({ index_prefix: 'sluice-logs' }));
    expect(tpl).toMatchObject({ index_patterns: ['sluice-logs-*'], data_stream: {} });
  });

  it('ranks a longer prefix above the default one', () => {
    const a = indexTemplate(parseSinkConfig({})).priority as number;
    const b = indexTemplate(parseSinkConfig({ index_prefix: 'sluice-logs-test1' })).priority as number;
    expect(b).toBeGreaterThan(a);
  });

  it('types the core fields and keeps attributes flat', () => {
    const props = eventMappings().properties as Record<string, { type?: string; properties?: unknown }>;
    expect(props['@timestamp']?.type).toBe('date');
    expect(props.attributes?.type).toBe('flat_object');
    expect(JSON.stringify(props.lambda)).toContain('"duration_ms":{"type":"double"}');
    expect(JSON.stringify(props.transaction)).toContain('keyword');
  });
});

describe('ismPolicy', () => {
  it('rolls over by size or age and deletes after the retention', () => {
    const { policy } = ismPolicy(parseSinkConfig({ retention_days: 7, rollover_min_size: '10gb' }));
    const text = JSON.stringify(policy);
    expect(text).toContain('"min_size":"10gb"');
    expect(text).toContain('"min_index_age":"7d"');
    expect(text).toContain('.ds-sluice-logs-*');
  });

  it('runs hot → warm → cold → delete by index age when the phases are configured', () => {
    const { policy } = ismPolicy(
      parseSinkConfig({ warm_after_days: 7, cold_after_days: 30, cold_replicas: 0, retention_days: 90 }),
    );
    const states = policy['states'] as { name: string; actions: unknown[]; transitions: unknown[] }[];
    expect(states.map((s) => [s.name, s.transitions])).toEqual([
      ['hot', [{ state_name: 'warm', conditions: { min_index_age: '7d' } }]],
      ['warm', [{ state_name: 'cold', conditions: { min_index_age: '30d' } }]],
      ['cold', [{ state_name: 'delete', conditions: { min_index_age: '90d' } }]],
      ['delete', []],
    ]);
    expect(states[1]?.actions).toEqual([
      { read_only: {} },
      { force_merge: { max_num_segments: 1 } },
      { index_priority: { priority: 50 } },
    ]);
    expect(states[2]?.actions).toEqual([
      { index_priority: { priority: 0 } },
      { replica_count: { number_of_replicas: 0 } },
    ]);
  });

  it('keeps the policy earlier versions installed when no phase is added (no needless rewrite)', () => {
    expect(ismPolicy(parseSinkConfig({})).hash).toBe('49ac09e62f19ef8f');
  });

  it('changes its hash only when its content changes', () => {
    const a = ismPolicy(parseSinkConfig({})).hash;
    expect(ismPolicy(parseSinkConfig({})).hash).toBe(a);
    expect(ismPolicy(parseSinkConfig({ retention_days: 8 })).hash).not.toBe(a);
  });
});
