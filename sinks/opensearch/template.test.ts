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

  it('changes its hash only when its content changes', () => {
    const a = ismPolicy(parseSinkConfig({})).hash;
    expect(ismPolicy(parseSinkConfig({})).hash).toBe(a);
    expect(ismPolicy(parseSinkConfig({ retention_days: 8 })).hash).not.toBe(a);
  });
});
