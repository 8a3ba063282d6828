import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSinkConfig } from '../../lambda/config.js';
import { parseSinkConfig } from '../../sinks/opensearch/config.js';
import { ismPolicy } from '../../sinks/opensearch/template.js';
import { buildStack, testConfig } from '../../test/factories/infra.js';
import { indexSetupConfig } from './mapping.js';

type Props = Record<string, unknown>;
/** CloudFormation hands a custom resource every scalar property as a string. */
const asCloudFormationSends = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(asCloudFormationSends)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asCloudFormationSends(x)]))
      : String(v);

describe('deploy-time index setup', { timeout: 120_000 }, () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(
      buildStack(
        testConfig({
          indices: {
            replicas: 2,
            rollover_size_gb: 50,
            warm_after_days: 3,
            cold_after_days: 14,
            delete_after_days: 60,
          },
        }),
      ),
    );
  }, 120_000);

  const setupProps = () =>
    (Object.values(t.findResources('Custom::SluiceOpenSearchSetup'))[0] as { Properties: Props }).Properties;
  const sinkEnv = () =>
    (
      Object.values(
        t.findResources('AWS::Lambda::Function', {
          Properties: { Description: 'Sluice sink: LogEvents from "events" into OpenSearch' },
        }),
      )[0] as { Properties: { Environment: { Variables: Record<string, string> } } }
    ).Properties.Environment.Variables;

  it('applies the configured lifecycle at deploy through setupOpenSearch, after the role mapping', () => {
    const props = setupProps();
    expect(props['lifecycle']).toEqual({
      shards: 1,
      replicas: 2,
      rollover_min_size: '50gb',
      rollover_min_age: '1d',
      retention_days: 60,
      warm_after_days: 3,
      cold_after_days: 14,
    });
    const [, resource] = Object.entries(t.findResources('Custom::SluiceOpenSearchSetup'))[0] as [
      string,
      { DependsOn: string[] },
    ];
    expect(resource.DependsOn.some((d) => d.startsWith('OpenSearchRoleMapping'))).toBe(true);
    const cfg = indexSetupConfig(asCloudFormationSends(props));
    const states = (ismPolicy(cfg).policy['states'] as { name: string }[]).map((s) => s.name);
    expect(states).toEqual(['hot', 'warm', 'cold', 'delete']);
    expect(cfg).toMatchObject({ replicas: 2, retention_days: 60, rollover_min_size: '50gb' });
  });

  it('hands the sink the same lifecycle, so its own setup installs the very same policy', () => {
    const env = sinkEnv();
    const sink = loadSinkConfig({
      ...env,
      AWS_REGION: 'us-east-1',
      SLUICE_OPENSEARCH_ENDPOINT: 'https://search.example.com',
      SLUICE_DLQ_BUCKET: 'dead-letters',
    });
    const fromSink = parseSinkConfig({ index_prefix: sink.indexPrefix, ...sink.indexLifecycle });
    const fromDeploy = indexSetupConfig(asCloudFormationSends(setupProps()));
    expect(ismPolicy(fromSink).hash).toBe(ismPolicy(fromDeploy).hash);
    expect(ismPolicy(fromSink).hash).not.toBe(ismPolicy(parseSinkConfig({})).hash);
  });
});
