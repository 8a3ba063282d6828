import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { SluiceInfraConfig } from '../config/schema.js';
import { acknowledge } from '../nag.js';
import { removalPolicy } from './removal.js';

/** Key administration actions the account keeps (so the key can never be locked out). */
const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;
/** Use actions IAM policies in the account may grant on the key (producers, consumers, replay). */
const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** Props of {@link SluiceStreams}. */
export interface SluiceStreamsProps {
  readonly config: Pick<SluiceInfraConfig, 'name' | 'streams' | 'removal'>;
}

/**
 * The "raw" (CloudWatch Logs subscription payloads) and "events" (NDJSON LogEvents) Kinesis
 * streams, both encrypted with one customer-managed KMS key that rotates yearly.
 */
export class SluiceStreams extends Construct {
  /** Encrypts both streams (and the dead letters). */
  readonly key: kms.Key;
  /** CloudWatch Logs subscriptions write here. */
  readonly raw: kinesis.Stream;
  /** The transform writes kept events here; the sink reads them. */
  readonly events: kinesis.Stream;

  constructor(scope: Construct, id: string, props: SluiceStreamsProps) {
    super(scope, id);
    const { name, streams } = props.config;
    this.key = new kms.Key(this, 'Key', {
      description: `${name}: Kinesis streams and dead letters`,
      enableKeyRotation: true,
      removalPolicy: removalPolicy(props.config),
      ...(props.config.removal === 'destroy' ? { pendingWindow: Duration.days(7) } : {}),
      // Instead of the default `kms:*` for the account: the administration and use actions the
      // account's IAM policies may grant, each named.
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministersAndDelegatesUse',
            principals: [new iam.AccountRootPrincipal()],
            actions: [...KEY_ADMIN_ACTIONS, ...KEY_USE_ACTIONS],
            resources: ['*'],
          }),
        ],
      }),
    });
    const make = (role: 'raw' | 'events', shards: number) =>
      new kinesis.Stream(this, role === 'raw' ? 'Raw' : 'Events', {
        streamName: `${name}-${role}`,
        encryption: kinesis.StreamEncryption.KMS,
        encryptionKey: this.key,
        retentionPeriod: Duration.hours(streams.retention_hours),
        // A buffer with a fixed name: never retained (a redeploy would collide with it).
        removalPolicy: RemovalPolicy.DESTROY,
        ...(streams.mode === 'on_demand'
          ? { streamMode: kinesis.StreamMode.ON_DEMAND }
          : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: shards }),
      });
    this.raw = make('raw', streams.raw_shards);
    this.events = make('events', streams.events_shards);
    for (const s of [this.raw, this.events]) {
      acknowledge(
        s,
        'AwsSolutions-KDS3',
        'A customer-managed key (rotated, scoped key policy) instead of aws/kinesis.',
      );
    }
  }
}
