import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../test-support.js';

type Props = Record<string, unknown>;
const sinkOf = (t: Template): Props =>
  (
    Object.values(
      t.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^Sluice sink') },
      }),
    )[0] as { Properties: Props }
  ).Properties;

describe('SluiceOpenSearch', { timeout: 120_000 }, () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(buildStack());
  }, 120_000);

  it('creates a domain encrypted at rest and in transit, HTTPS only with TLS 1.2+, zone aware', () => {
    t.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: 'OpenSearch_2.19',
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      ClusterConfig: Match.objectLike({
        InstanceCount: 2,
        InstanceType: 'r7g.large.search',
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
      }),
      EBSOptions: Match.objectLike({ EBSEnabled: true, VolumeSize: 100, VolumeType: 'gp3' }),
    });
  });

  it('turns on fine-grained access control with the role-mapping function as IAM master', () => {
    t.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AdvancedSecurityOptions: Match.objectLike({
        Enabled: true,
        InternalUserDatabaseEnabled: false,
        MasterUserOptions: {
          MasterUserARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OpenSearchAccessMapperRole'), 'Arn'] },
        },
      }),
    });
  });

  it('publishes slow search, slow index, error and audit logs', () => {
    const domain = Object.values(t.findResources('AWS::OpenSearchService::Domain'))[0] as {
      Properties: Props;
    };
    expect(Object.keys(domain.Properties['LogPublishingOptions'] as Props).sort()).toEqual([
      'AUDIT_LOGS',
      'ES_APPLICATION_LOGS',
      'INDEX_SLOW_LOGS',
      'SEARCH_SLOW_LOGS',
    ]);
  });

  it('maps the sink role to the writer role on the Sluice index pattern at deploy', () => {
    t.hasResourceProperties('Custom::SluiceOpenSearchRoleMapping', {
      indexPattern: 'sluice-logs-*',
      writerRoleArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionsSinkRole'), 'Arn'] }],
      adminRoleArns: [
        { 'Fn::GetAtt': [Match.stringLikeRegexp('^OpenSearchAccessMapperRole'), 'Arn'] },
        'arn:aws:iam::123456789012:role/Admin',
      ],
    });
  });

  it('gives the sink SigV4 HTTP access without es:* and points it at the domain', () => {
    const policy = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policy).toContain('es:ESHttpPost');
    expect(policy).not.toContain('"es:*"');
    expect(JSON.stringify((sinkOf(t)['Environment'] as Props)['Variables'])).toContain('DomainEndpoint');
  });

  it('places the domain and the sink in a new VPC when asked', () => {
    const v = Template.fromStack(
      buildStack(testConfig({ opensearch: { mode: 'domain', vpc: { mode: 'create' } } })),
    );
    v.hasResourceProperties('AWS::OpenSearchService::Domain', {
      VPCOptions: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
    const sinkSgs = JSON.stringify((sinkOf(v)['VpcConfig'] as Record<string, unknown>)['SecurityGroupIds']);
    expect(sinkSgs).toContain('OpenSearchSinkSg');
    expect(sinkSgs).not.toContain('OpenSearchDomainSg');
    const domain = Object.values(v.findResources('AWS::OpenSearchService::Domain'))[0] as {
      Properties: Props;
    };
    const domainSgs = JSON.stringify((domain.Properties['VPCOptions'] as Props)['SecurityGroupIds']);
    expect(domainSgs).toContain('OpenSearchDomainSg');
    expect(domainSgs).not.toContain('OpenSearchSinkSg');
    v.resourceCountIs('AWS::EC2::FlowLog', 1);
    v.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443,
      ToPort: 443,
      IpProtocol: 'tcp',
    });
  });

  it('uses an existing endpoint without creating a domain', () => {
    const e = Template.fromStack(
      buildStack(
        testConfig({
          opensearch: {
            mode: 'existing',
            endpoint: 'https://search-logs.us-east-1.es.amazonaws.com',
            domain_arn: 'arn:aws:es:us-east-1:123456789012:domain/logs',
          },
        }),
      ),
    );
    e.resourceCountIs('AWS::OpenSearchService::Domain', 0);
    e.resourceCountIs('Custom::SluiceOpenSearchRoleMapping', 0);
    expect((sinkOf(e)['Environment'] as { Variables: Props }).Variables['SLUICE_OPENSEARCH_ENDPOINT']).toBe(
      'https://search-logs.us-east-1.es.amazonaws.com',
    );
  });
});
