import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack } from '../../test/factories/infra.js';

describe('SluiceDeployment', { timeout: 120_000 }, () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(buildStack());
  }, 120_000);

  it('shifts each live alias by canary and rolls back on failure, stop, or alarm', () => {
    const groups = Object.values(t.findResources('AWS::CodeDeploy::DeploymentGroup')) as {
      Properties: {
        AlarmConfiguration: { Alarms: unknown[]; Enabled: boolean };
        AutoRollbackConfiguration: unknown;
      };
    }[];
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      expect(g.Properties).toMatchObject({
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
        AlarmConfiguration: { Enabled: true },
      });
      expect(g.Properties.AlarmConfiguration.Alarms).toHaveLength(3);
    }
  });

  it('lets CodeDeploy drive the alias updates', () => {
    const aliases = t.findResources('AWS::Lambda::Alias', { Properties: { Name: 'live' } });
    expect(Object.keys(aliases)).toHaveLength(2);
    for (const a of Object.values(aliases)) {
      expect(a).toMatchObject({
        UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: expect.anything() } },
      });
    }
  });
});
