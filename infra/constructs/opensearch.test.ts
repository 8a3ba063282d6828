import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../../test/factories/infra.js';
import { SluiceStack } from '../stack.js';
import { inlineFunction } from './code.js';

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

  it('creates a fault-tolerant domain by default: 3 data nodes over 3 zones, 3 dedicated masters', () => {
    t.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: 'OpenSearch_2.19',
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      ClusterConfig: Match.objectLike({
        InstanceCount: 3,
        InstanceType: 'r7g.large.search',
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
        DedicatedMasterType: 'm7g.large.search',
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

  it('retains the domain and its FGAC master role together (production), destroys both in dev', () => {
    const masterOf = (tpl: Template) =>
      Object.entries(tpl.findResources('AWS::IAM::Role')).find(([id]) =>
        id.startsWith('OpenSearchAccessMapperRole'),
      )?.[1] as { DeletionPolicy?: string };
    const domainOf = (tpl: Template) =>
      Object.values(tpl.findResources('AWS::OpenSearchService::Domain'))[0] as { DeletionPolicy?: string };
    expect(domainOf(t).DeletionPolicy).toBe('Retain');
    expect(masterOf(t).DeletionPolicy).toBe('Retain');
    const dev = Template.fromStack(buildStack(testConfig({ profile: 'dev' })));
    expect(domainOf(dev).DeletionPolicy).toBe('Delete');
    expect(masterOf(dev).DeletionPolicy).toBe('Delete');
    dev.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        InstanceCount: 1,
        InstanceType: 't3.medium.search',
        ZoneAwarenessEnabled: false,
        DedicatedMasterEnabled: false,
      }),
    });
  });

  it('encrypts the domain with a customer-managed key when one is given', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const k = Template.fromStack(
      buildStack(testConfig({ opensearch: { mode: 'domain', kms_key_arn: key } })),
    );
    k.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EncryptionAtRestOptions: { Enabled: true, KmsKeyId: '11111111-2222-3333-4444-555555555555' },
    });
  });

  it('synthesizes a 3-zone VPC domain in an environment-agnostic stack (no zone lookup)', () => {
    const app = new App();
    const stack = new SluiceStack(app, 'Agnostic', {
      config: testConfig({ opensearch: { mode: 'domain', vpc: { mode: 'create' } } }),
      makeFunction: inlineFunction,
    });
    const a = Template.fromStack(stack);
    const domain = Object.values(a.findResources('AWS::OpenSearchService::Domain'))[0] as {
      Properties: { VPCOptions: { SubnetIds: unknown[] } };
    };
    expect(domain.Properties.VPCOptions.SubnetIds).toHaveLength(3);
    const zones = Object.values(a.findResources('AWS::EC2::Subnet')).map((r) =>
      JSON.stringify((r as { Properties: Props }).Properties['AvailabilityZone']),
    );
    expect(new Set(zones).size).toBe(3);
    for (const z of zones) expect(z).toContain('Fn::GetAZs');
    expect(app.synth().manifest.missing ?? []).toEqual([]);
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
