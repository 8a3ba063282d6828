import { CustomResource, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { indexLifecycle } from '../config/indices.js';
import type { ResolvedDomain } from '../config/profiles.js';
import type { SluiceInfraConfig } from '../config/schema.js';
import {
  acknowledge,
  acknowledgeProviderFramework,
  acknowledgeRuntime,
  arnWildcardFinding,
  FRAMEWORK_ROLE_REASON,
} from '../nag.js';
import type { FunctionFactory, SluiceFunctionSpec } from './code.js';
import { allowOwnLogs } from './grants.js';
import { removalPolicy } from './removal.js';

type DomainConfig = ResolvedDomain;

/** Props of {@link SluiceOpenSearch}. */
export interface SluiceOpenSearchProps {
  readonly config: SluiceInfraConfig;
  readonly makeFunction: FunctionFactory;
}

/** API paths the deploy-time index setup writes (component/index templates, the ISM policy). */
const SETUP_PATHS = ['_component_template/*', '_index_template/*', '_plugins/_ism/policies/*'] as const;

/** HTTP actions the sink needs (bulk, index templates, health); never `es:*`. */
const SINK_HTTP_ACTIONS = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'] as const;

/**
 * The OpenSearch target: a domain Sluice owns (encryption at rest, node-to-node encryption,
 * HTTPS only with TLS 1.2+, fine-grained access control with an IAM master, optional VPC,
 * zone awareness, slow/error/audit logs), or an existing endpoint. `allowSink` gives the sink
 * role SigV4 access and, for an owned domain, maps it to a `sluice_writer` role at deploy.
 */
export class SluiceOpenSearch extends Construct {
  /** https endpoint the sink writes to. */
  readonly endpoint: string;
  /** SigV4 service of the target (OpenSearch Serverless is refused by the config schema). */
  readonly service = 'es' as const;
  readonly domainArn: string;
  /** Present when Sluice owns the domain. */
  readonly domain?: opensearch.Domain;
  /** Where the sink runs when the domain is in a VPC. */
  readonly sinkVpc?: SluiceFunctionSpec['vpc'];
  private readonly makeFunction: FunctionFactory;
  private readonly config: SluiceInfraConfig;

  constructor(scope: Construct, id: string, props: SluiceOpenSearchProps) {
    super(scope, id);
    this.config = props.config;
    this.makeFunction = props.makeFunction;
    const os = props.config.opensearch;
    if (os.mode === 'existing') {
      this.endpoint = os.endpoint;
      this.domainArn = os.domain_arn;
      return;
    }
    const placement = this.placement(os);
    const dedicated = os.dedicated_master_type;
    this.domain = new opensearch.Domain(this, 'Domain', {
      version:
        os.engine_version === '2.17'
          ? opensearch.EngineVersion.OPENSEARCH_2_17
          : opensearch.EngineVersion.OPENSEARCH_2_19,
      capacity: {
        dataNodeInstanceType: os.instance_type,
        dataNodes: os.instance_count,
        ...(dedicated ? { masterNodeInstanceType: dedicated, masterNodes: os.dedicated_master_count } : {}),
        multiAzWithStandbyEnabled: false,
      },
      ebs: { volumeSize: os.volume_gb, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      zoneAwareness: os.zone_awareness
        ? { enabled: true, availabilityZoneCount: os.availability_zone_count }
        : { enabled: false },
      encryptionAtRest: {
        enabled: true,
        ...(os.kms_key_arn ? { kmsKey: kms.Key.fromKeyArn(this, 'DomainKey', os.kms_key_arn) } : {}),
      },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
      fineGrainedAccessControl: { masterUserArn: this.accessMapperRole().roleArn },
      logging: {
        slowSearchLogEnabled: true,
        slowIndexLogEnabled: true,
        appLogEnabled: true,
        auditLogEnabled: true,
      },
      ...(placement
        ? { vpc: placement.vpc, vpcSubnets: [placement.subnets], securityGroups: [placement.domainSg] }
        : {}),
      removalPolicy: removalPolicy(props.config),
    });
    // The FGAC master must outlive a retained domain, or nobody could administer it afterwards.
    this.accessMapperRole().applyRemovalPolicy(removalPolicy(props.config));
    this.acknowledgeDomainFindings(os);
    this.endpoint = `https://${this.domain.domainEndpoint}`;
    this.domainArn = this.domain.domainArn;
    if (placement) {
      this.sinkVpc = { vpc: placement.vpc, subnets: placement.subnets, securityGroups: [placement.sinkSg] };
    }
  }

  private mapperRole?: iam.Role;
  /** Log groups of the functions this construct runs (never to be subscribed to the pipeline). */
  readonly ownLogGroups: logs.LogGroup[] = [];

  private acknowledgeDomainFindings(os: DomainConfig): void {
    const domain = this.domain as opensearch.Domain;
    acknowledge(
      domain,
      'AwsSolutions-IAM5[Resource::*]',
      'CDK-generated custom resource that lets OpenSearch write its slow/error/audit logs: logs:PutResourcePolicy has no resource-level scoping.',
    );
    acknowledge(
      domain,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      FRAMEWORK_ROLE_REASON,
    );
    if (os.vpc.mode === 'none') {
      const reason =
        'VPC placement is optional by config; without it every request needs SigV4 from a role named in the domain access policy, and fine-grained access control maps those roles.';
      acknowledge(domain, 'AwsSolutions-OS1', reason);
    }
    acknowledge(
      domain,
      'AwsSolutions-OS3',
      'Access is granted to IAM roles (SigV4) named in the access policy, not to IP addresses; FGAC maps each role.',
    );
    if (!os.dedicated_master_type) {
      acknowledge(
        domain,
        'AwsSolutions-OS4',
        'Not fault tolerant by choice: the dev profile (or an explicit config) runs without dedicated masters; the production profile requires three.',
      );
    }
    if (!os.zone_awareness) {
      acknowledge(
        domain,
        'AwsSolutions-OS7',
        'Not fault tolerant by choice: the dev profile (or an explicit config) runs in one zone; the production profile requires three.',
      );
    }
  }

  /** The role of the deploy-time role-mapping function: the domain's FGAC master user. */
  private accessMapperRole(): iam.Role {
    this.mapperRole ??= new iam.Role(this, 'AccessMapperRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sluice: OpenSearch fine-grained access control master (maps roles at deploy)',
    });
    return this.mapperRole;
  }

  private placement(
    os: DomainConfig,
  ):
    | { vpc: ec2.IVpc; subnets: ec2.SubnetSelection; sinkSg: ec2.SecurityGroup; domainSg: ec2.SecurityGroup }
    | undefined {
    if (os.vpc.mode === 'none') return undefined;
    // Zones are never looked up in the account at synth: named in config, or Fn::GetAZs.
    const vpc =
      os.vpc.mode === 'create'
        ? new ec2.Vpc(this, 'Vpc', {
            availabilityZones:
              os.vpc.availability_zones ??
              Array.from({ length: os.vpc.max_azs }, (_, i) => Fn.select(i, Fn.getAzs())),
            natGateways: 1,
            flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
          })
        : ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
            vpcId: os.vpc.vpc_id,
            availabilityZones: os.vpc.availability_zones,
            privateSubnetIds: os.vpc.private_subnet_ids,
          });
    const sinkSg = new ec2.SecurityGroup(this, 'SinkSg', {
      vpc,
      description: 'Sluice sink',
      allowAllOutbound: true,
    });
    const domainSg = new ec2.SecurityGroup(this, 'DomainSg', {
      vpc,
      description: 'Sluice OpenSearch domain: HTTPS from the sink only',
      allowAllOutbound: false,
    });
    domainSg.addIngressRule(sinkSg, ec2.Port.tcp(443), 'sink to OpenSearch over HTTPS');
    // One subnet in each zone the domain uses (OpenSearch refuses more or fewer).
    const subnets = { subnets: vpc.privateSubnets.slice(0, os.availability_zone_count) };
    return { vpc, subnets, sinkSg, domainSg };
  }

  /** Grants the sink role SigV4 HTTP access and maps it (owned domain) to `sluice_writer`. */
  allowSink(sinkRole: iam.IRole): void {
    sinkRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...SINK_HTTP_ACTIONS], resources: [`${this.domainArn}/*`] }),
    );
    const reason =
      'OpenSearch HTTP paths (index names, _bulk) are under the domain ARN; FGAC limits the sink to its index pattern.';
    if (this.domain) acknowledge(sinkRole, arnWildcardFinding(this.domain, '/*'), reason);
    else acknowledge(sinkRole, `AwsSolutions-IAM5[Resource::${this.domainArn}/*]`, reason);
    if (!this.domain) return;
    const os = this.config.opensearch as DomainConfig;
    const mapper = this.accessMapperRole();
    this.domain.addAccessPolicies(
      new iam.PolicyStatement({
        principals: [new iam.ArnPrincipal(sinkRole.roleArn)],
        actions: [...SINK_HTTP_ACTIONS],
        resources: [`${this.domainArn}/*`],
      }),
      new iam.PolicyStatement({
        principals: [mapper, ...os.admin_role_arns.map((a) => new iam.ArnPrincipal(a))],
        actions: [...SINK_HTTP_ACTIONS, 'es:ESHttpDelete', 'es:ESHttpPatch'],
        resources: [`${this.domainArn}/*`],
      }),
    );
    mapper.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['es:ESHttpGet', 'es:ESHttpPut', 'es:ESHttpPatch'],
        resources: [`${this.domainArn}/_plugins/_security/*`],
      }),
    );
    // The index setup (`setupOpenSearch`, as `sluice opensearch setup` runs it): templates and ISM.
    mapper.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['es:ESHttpGet', 'es:ESHttpPut'],
        resources: SETUP_PATHS.map((p) => `${this.domainArn}/${p}`),
      }),
    );
    const logGroup = new logs.LogGroup(this, 'AccessMapperLogs', {
      retention: this.config.functions.log_retention_days,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    allowOwnLogs(mapper, logGroup.logGroupArn);
    const fn = this.makeFunction(this, 'AccessMapper', {
      entry: 'infra/opensearch-access/handler.ts',
      description: 'Sluice: maps the sink and admin roles in OpenSearch fine-grained access control',
      runtime: this.config.functions.runtime,
      memoryMb: 256,
      timeout: Duration.minutes(5),
      environment: { SLUICE_OPENSEARCH_ENDPOINT: this.endpoint },
      role: mapper,
      logGroup,
      ...(this.sinkVpc ? { vpc: this.sinkVpc } : {}),
    });
    const providerLogs = new logs.LogGroup(this, 'AccessMapperProviderLogs', {
      retention: this.config.functions.log_retention_days,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.ownLogGroups.push(logGroup, providerLogs);
    const provider = new cr.Provider(this, 'AccessMapperProvider', {
      onEventHandler: fn,
      logGroup: providerLogs,
    });
    acknowledgeRuntime(fn, this.config.functions.runtime);
    acknowledge(
      mapper,
      arnWildcardFinding(this.domain, '/_plugins/_security/*'),
      'The FGAC master maps roles through the security API: only paths under _plugins/_security.',
    );
    for (const p of SETUP_PATHS) {
      acknowledge(
        mapper,
        arnWildcardFinding(this.domain, `/${p}`),
        'The deploy-time index setup puts the templates and the ISM policy named after the index prefix: only GET and PUT under those API paths.',
      );
    }
    acknowledgeProviderFramework(provider, fn);
    const mapping = new CustomResource(this, 'RoleMapping', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SluiceOpenSearchRoleMapping',
      properties: {
        indexPattern: `${this.config.index_prefix}-*`,
        writerRoleArns: [sinkRole.roleArn],
        adminRoleArns: [mapper.roleArn, ...os.admin_role_arns],
      },
    });
    mapping.node.addDependency(this.domain);
    const setup = new CustomResource(this, 'IndexSetup', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SluiceOpenSearchSetup',
      // Any change of the lifecycle re-applies it (an Update).
      properties: {
        indexPrefix: this.config.index_prefix,
        lifecycle: indexLifecycle(this.config.indices),
      },
    });
    setup.node.addDependency(mapping);
  }
}
